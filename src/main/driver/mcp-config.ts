// The per-goal MCP config file given to Claude Code with --mcp-config (driver-spec §5, moved OUT of
// the worktree so checkpoints never commit it and Claude cannot edit it): one stdio server, key
// "overseer", taken from the permission path's McpServerSpec. Written with mode 0600.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { GoalId } from '../../shared/domain/goal.js';
import { PERMISSION_SERVER_KEY } from './claude-process.js';
import type { McpServerSpec } from './ports.js';

export interface McpConfigFile {
  mcpServers: Record<string, { type: 'stdio'; command: string; args: string[]; env: Record<string, string> }>;
}

export function mcpConfigFor(spec: McpServerSpec): McpConfigFile {
  return {
    mcpServers: {
      [PERMISSION_SERVER_KEY]: { type: 'stdio', command: spec.command, args: [...spec.args], env: { ...spec.env } },
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
