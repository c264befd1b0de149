// Entry point of the permission bridge process that Claude Code starts from the per-goal MCP config
// (`node --import tsx src/main/permission/bridge.ts` in dev; built to plain JS for the app, where it
// runs on Electron's binary with ELECTRON_RUN_AS_NODE=1). It serves MCP on stdio and forwards each
// permission prompt to the host. stdout carries MCP only; notes go to stderr.
//
// Claude Code starts it every turn and waits for its `initialize` answer, so the start is kept to
// Node's own: only zod-free modules load up front (bridge-mcp.ts, bridge-stdio.ts); the part that
// reads the environment (zod) and talks to the host (bridge-decider.ts) loads right after
// `initialize` is answered, and any tool call waits for it. A missing or invalid environment makes
// every call deny saying so.
import { BridgeMcpServer } from './bridge-mcp.js';
import { StdioLineTransport } from './bridge-stdio.js';
import type { EnvironmentDecider } from './bridge-decider.js';

/** Tool calls carry whole file contents (Write): a message may be this large (4× a socket frame). */
const MAX_STDIN_MESSAGE_BYTES = 64 * 1024 * 1024;

function note(text: string): void {
  process.stderr.write(`overseer permission bridge: ${text}\n`);
}

function main(): void {
  let decider: Promise<EnvironmentDecider> | null = null;
  let loaded: EnvironmentDecider | null = null;
  const loadDecider = (): Promise<EnvironmentDecider> => {
    decider ??= import('./bridge-decider.js').then((module) => {
      loaded = module.deciderFromEnvironment(process.env, note);
      return loaded;
    });
    return decider;
  };
  const server = new BridgeMcpServer(async (call, signal) => (loaded ?? (await loadDecider())).decide(call, signal), {
    onInitializeAnswered: () =>
      setImmediate(() => void loadDecider().catch((error: unknown) => note(`cannot load: ${String(error)}`))),
  });
  const transport = new StdioLineTransport(process.stdin, process.stdout, { maxLineBytes: MAX_STDIN_MESSAGE_BYTES });
  let stopping = false;
  const stop = (code: number) => {
    if (stopping) return;
    stopping = true;
    loaded?.close();
    void server.close().finally(() => process.exit(code));
  };
  transport.onerror = (error) => note(error.message);
  process.stdout.on('error', () => stop(0));
  process.stdin.once('end', () => stop(0));
  process.stdin.once('close', () => stop(0));
  process.once('SIGTERM', () => stop(0));
  process.once('SIGINT', () => stop(0));
  server.connect(transport).catch((error: unknown) => {
    note(`cannot start: ${String(error)}`);
    process.exit(1);
  });
}

main();
