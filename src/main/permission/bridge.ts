// Entry point of the permission bridge process that Claude Code starts from the per-goal MCP config
// (`node --import tsx src/main/permission/bridge.ts` in dev; built to plain JS for the app, where it
// runs on Electron's binary with ELECTRON_RUN_AS_NODE=1). It reads its goal and socket from the
// environment (validated with zod; anything missing makes every call deny saying so), serves MCP on
// stdio and forwards each permission prompt to the host. stdout carries MCP only; notes go to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';
import { bridgeDeny, PermissionSocketClient } from './bridge-client.js';
import { createBridgeMcpServer, type BridgeDecider } from './bridge-mcp.js';
import { MAX_FRAME_BYTES } from './frames.js';

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
    .map((issue) => `${issue.path.join('.')} ${issue.code === 'invalid_type' ? 'is missing' : `is invalid (${issue.message})`}`)
    .join('; ');
}

function main(): void {
  const env = BridgeEnvSchema.safeParse(process.env);
  let decide: BridgeDecider;
  let client: PermissionSocketClient | null = null;
  if (env.success) {
    client = new PermissionSocketClient({
      socketPath: env.data.OVERSEER_PERMISSION_SOCKET,
      goalId: env.data.OVERSEER_GOAL_ID,
      secret: env.data.OVERSEER_GOAL_SECRET,
      connectTimeoutMs: env.data.OVERSEER_PERMISSION_CONNECT_TIMEOUT_MS,
      ackTimeoutMs: env.data.OVERSEER_PERMISSION_ACK_TIMEOUT_MS,
    });
    const socketClient = client;
    decide = (call, signal) => socketClient.decide(call, signal);
  } else {
    const problem = `the permission bridge is misconfigured: ${describeEnvProblem(env.error)}`;
    process.stderr.write(`overseer permission bridge: ${problem}\n`);
    decide = async () => bridgeDeny(problem);
  }

  const server = createBridgeMcpServer(decide);
  // Tool calls carry whole file contents (Write): allow more than the SDK's 10 MB default.
  const transport = new StdioServerTransport(process.stdin, process.stdout, { maxBufferSize: 4 * MAX_FRAME_BYTES });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    client?.close();
    void server.close().finally(() => process.exit(code));
  };
  transport.onerror = (error) => process.stderr.write(`overseer permission bridge: ${error.message}\n`);
  process.stdout.on('error', () => stop(0));
  process.stdin.once('end', () => stop(0));
  process.stdin.once('close', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));
  server.connect(transport).catch((error: unknown) => {
    process.stderr.write(`overseer permission bridge: cannot start: ${String(error)}\n`);
    process.exit(1);
  });
}

main();
