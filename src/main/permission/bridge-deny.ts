// The deny the bridge makes by itself when the host could not be asked (no socket, a dead host, a
// misconfigured environment, a failure of its own): the tool call is denied, saying why. Kept free
// of runtime imports so the bridge's MCP face can use it before anything heavy is loaded.
import type { PermissionDecision } from '../../shared/domain/permission.js';

/** A deny made by the bridge itself (the host could not be asked). */
export function bridgeDeny(reason: string): PermissionDecision {
  return {
    behavior: 'deny',
    message: `Overseer could not decide on this tool call, so it was denied: ${reason}`,
    interrupt: false,
  };
}
