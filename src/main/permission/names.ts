// Names Claude Code sees: the MCP server key/serverInfo.name and the tool, and the resulting
// `--permission-prompt-tool` value (Claude names MCP tools mcp__<server>__<tool>; the key in the
// --mcp-config file must equal serverInfo.name).
export const BRIDGE_SERVER_NAME = 'overseer';
export const PERMISSION_TOOL = 'permission_prompt';
/** What to pass to `claude --permission-prompt-tool`. */
export const PERMISSION_PROMPT_TOOL_FLAG = `mcp__${BRIDGE_SERVER_NAME}__${PERMISSION_TOOL}`;
