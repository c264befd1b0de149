// What Claude Code takes as the answer to a permission prompt, whichever way the prompt reached us: the
// JSON text of the MCP permission tool's result (the bridge, bridge-mcp.ts) or the `response` of a
// `control_response` on Claude's stdin (long-lived mode's stdio prompts, stdio-prompts.ts). One shape
// for both: allow always carries `updatedInput` (the CLI fails the tool call without it), and a deny
// carries `interrupt: true` only when the turn must stop.
import type { PermissionDecision } from '../../shared/domain/permission.js';

/** The JSON Claude Code reads as a permission prompt's answer. */
export type PermissionPromptAnswer =
  | { behavior: 'allow'; updatedInput: Record<string, unknown> }
  | { behavior: 'deny'; message: string; interrupt?: true };

export function answerFor(decision: PermissionDecision): PermissionPromptAnswer {
  if (decision.behavior === 'allow') return { behavior: 'allow', updatedInput: decision.updatedInput };
  return decision.interrupt
    ? { behavior: 'deny', message: decision.message, interrupt: true }
    : { behavior: 'deny', message: decision.message };
}
