// How the bridge process decides: from its environment (goal, secret, socket; validated with zod),
// a PermissionSocketClient that asks the host, or, when anything is missing, a decider that denies
// every call saying what is missing. Loaded lazily by the bridge entry (after `initialize` is
// answered) so zod and the socket protocol stay out of the bridge's start.
import { z } from 'zod';
import { PermissionSocketClient } from './bridge-client.js';
import { bridgeDeny } from './bridge-deny.js';
import type { BridgeDecider } from './bridge-mcp.js';

const positiveMs = z.coerce.number().int().positive();

const BridgeEnvSchema = z.object({
  OVERSEER_PERMISSION_SOCKET: z.string().min(1),
  OVERSEER_GOAL_ID: z.string().min(1),
  OVERSEER_GOAL_SECRET: z.string().min(16),
  OVERSEER_PERMISSION_CONNECT_TIMEOUT_MS: positiveMs.optional(),
  OVERSEER_PERMISSION_ACK_TIMEOUT_MS: positiveMs.optional(),
});

function describeEnvProblem(error: z.ZodError): string {
  return error.issues
    .map(
      (issue) =>
        `${issue.path.join('.')} ${issue.code === 'invalid_type' ? 'is missing' : `is invalid (${issue.message})`}`,
    )
    .join('; ');
}

export interface EnvironmentDecider {
  decide: BridgeDecider;
  /** Drops the host connection; calls in flight are denied. */
  close(): void;
}

export function deciderFromEnvironment(
  environment: NodeJS.ProcessEnv,
  log: (note: string) => void,
): EnvironmentDecider {
  const env = BridgeEnvSchema.safeParse(environment);
  if (!env.success) {
    const problem = `the permission bridge is misconfigured: ${describeEnvProblem(env.error)}`;
    log(problem);
    return { decide: () => Promise.resolve(bridgeDeny(problem)), close: () => undefined };
  }
  const client = new PermissionSocketClient({
    socketPath: env.data.OVERSEER_PERMISSION_SOCKET,
    goalId: env.data.OVERSEER_GOAL_ID,
    secret: env.data.OVERSEER_GOAL_SECRET,
    connectTimeoutMs: env.data.OVERSEER_PERMISSION_CONNECT_TIMEOUT_MS,
    ackTimeoutMs: env.data.OVERSEER_PERMISSION_ACK_TIMEOUT_MS,
  });
  return { decide: (call, signal) => client.decide(call, signal), close: () => client.close() };
}
