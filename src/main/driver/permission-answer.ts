// What Claude Code takes as the answer to a permission prompt (the JSON text of the MCP permission tool's
// result, which the bridge sends: bridge-mcp.ts): allow always carries `updatedInput` (the CLI fails the
// tool call without it), and a deny carries `interrupt: true` only when the turn must stop. The driver
// owns it because it is Claude Code's format, not the bridge's.
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
