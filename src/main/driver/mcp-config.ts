// What Claude Code sees of Overseer's permission path, defined once for production and tests: the MCP
// server's name (the key in the --mcp-config file, which must equal the bridge's serverInfo.name), the
// permission tool's name, the `--permission-prompt-tool` value Claude derives from them
// (mcp__<server>__<tool>, or `stdio` when Claude sends prompts on its own stdio), and the per-goal MCP
// config file. The file lives outside the worktree so
// checkpoints never commit it and Claude cannot edit it; it holds one stdio server taken from the
// permission path's McpServerSpec and is written with mode 0600 (it carries the goal's secret).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GoalId } from '../../shared/domain/goal.js';
import type { McpServerSpec } from './ports.js';

/** The MCP server key in the config file and the bridge's serverInfo.name. */
export const MCP_SERVER_NAME = 'overseer';
/** The one tool the bridge offers. */
export const PERMISSION_TOOL_NAME = 'permission_prompt';
/** What to pass to `claude --permission-prompt-tool` for the bridge's tool. */
export const PERMISSION_PROMPT_TOOL = `mcp__${MCP_SERVER_NAME}__${PERMISSION_TOOL_NAME}`;
/** What to pass instead for prompts on Claude's own stdio (a long-lived process, stdio-prompts.ts): no MCP server. */
export const STDIO_PROMPT_TOOL = 'stdio';

export interface McpConfigFile {
  mcpServers: Record<string, { type: 'stdio'; command: string; args: string[]; env: Record<string, string> }>;
}

/** The --mcp-config file's contents for a server spec. */
export function mcpConfigFor(spec: McpServerSpec): McpConfigFile {
  return {
    mcpServers: {
      [MCP_SERVER_NAME]: { type: 'stdio', command: spec.command, args: [...spec.args], env: { ...spec.env } },
    },
  };
}

/** Writes `<goalFilesDir>/<goalId>/mcp-config.json` (dir 0700, file 0600) and returns its absolute path. */
export async function writeMcpConfig(goalFilesDir: string, goalId: GoalId, spec: McpServerSpec): Promise<string> {
  const dir = join(resolve(goalFilesDir), goalId);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const path = join(dir, 'mcp-config.json');
  await writeFile(path, `${JSON.stringify(mcpConfigFor(spec), null, 2)}\n`, { mode: 0o600 });
  await chmod(path, 0o600);
  return path;
}
