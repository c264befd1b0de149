// The one setting that chooses how the driver runs Claude Code: `long-lived` (one stream-json process
// per goal, the default, docs/long-lived-mode.md) or `per-turn` (a `claude -p` process per turn, the
// fallback), read from the OVERSEER_CLAUDE_PROCESS environment variable where the host composes the
// driver; a GoalDriver whose config names no mode uses the default too.
import { z } from 'zod';

export const CLAUDE_PROCESS_MODES = ['per-turn', 'long-lived'] as const;
export const ClaudeProcessModeSchema = z.enum(CLAUDE_PROCESS_MODES);
export type ClaudeProcessMode = z.infer<typeof ClaudeProcessModeSchema>;

export const CLAUDE_PROCESS_ENV = 'OVERSEER_CLAUDE_PROCESS';
export const DEFAULT_CLAUDE_PROCESS: ClaudeProcessMode = 'long-lived';

/** The mode named by the environment; unset or empty is the default; anything else is an error. */
export function claudeProcessModeFromEnv(env: NodeJS.ProcessEnv): ClaudeProcessMode {
  const raw = env[CLAUDE_PROCESS_ENV]?.trim() ?? '';
  if (raw === '') return DEFAULT_CLAUDE_PROCESS;
  const parsed = ClaudeProcessModeSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`${CLAUDE_PROCESS_ENV} must be one of ${CLAUDE_PROCESS_MODES.join(', ')}; got "${raw}"`);
  }
  return parsed.data;
}
