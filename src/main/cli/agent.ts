// `overseer agent --nats URL --name NAME`: a headless runner host. The host is the same one
// `serve` runs (its own data directory, goals, worktrees, checkpoints, permission socket, all
// local to this machine); NATS carries its commands, events and presence (src/main/nats/, loaded
// only here). Runs until SIGINT/SIGTERM; a clean stop marks the runner stopped, a kill leaves it
// to go offline when its heartbeat stops. Exit 1 on bad input or refused credentials.
import { parseArgs } from 'node:util';
import { parseDuration } from '../../shared/domain/duration.js';
import { ClaudeNotFoundError, findClaude } from '../driver/index.js';
import { createHost } from '../host/index.js';
import { AGENT_HELP } from './usage-nats.js';
import { UsageError } from './usage.js';
import { wholeNumberFlag } from './number-flags.js';
import { NATS_FLAG_OPTIONS, natsSettings } from './nats-flags.js';

export async function agentCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...NATS_FLAG_OPTIONS,
      name: { type: 'string' },
      'data-dir': { type: 'string' },
      claude: { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'prompt-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return (out(AGENT_HELP), 0);
  const settings = natsSettings(values);
  if (values.name === undefined)
    throw new UsageError('--name NAME is required (how consoles and `overseer run --runner` name this runner)');
  const { runnerNameProblem } = await import('../nats/index.js');
  const problem = runnerNameProblem(values.name);
  if (problem !== null) throw new UsageError(`--name: ${problem}`);
  const heartbeatMs =
    values['heartbeat-ms'] === undefined
      ? 5000
      : wholeNumberFlag('--heartbeat-ms', values['heartbeat-ms'], { min: 100, unit: 'of milliseconds' });
  let operatorTimeoutMs: number | null = null;
  if (values['prompt-timeout'] !== undefined) {
    const parsed = parseDuration(values['prompt-timeout']);
    if (!parsed.ok || parsed.ms <= 0)
      throw new UsageError(`--prompt-timeout: ${parsed.ok ? 'must be longer than 0' : parsed.error}`);
    operatorTimeoutMs = parsed.ms;
  }
  let claudeBinary: string | null = null;
  try {
    claudeBinary = (await findClaude({ explicit: values.claude ?? null })).path;
  } catch (error) {
    if (!(error instanceof ClaudeNotFoundError)) throw error;
    if (values.claude !== undefined) throw new UsageError(error.message);
    process.stderr.write(
      `overseer agent: warning: ${error.message} (goals on this runner fail to start until it is installed)\n`,
    );
  }

  const { connectNats, NatsConnectError } = await import('../nats/index.js');
  const { startRunner, RunnerNameTakenError } = await import('../nats/index.js');
  let nc: Awaited<ReturnType<typeof connectNats>>;
  try {
    nc = await connectNats(settings, `overseer-runner ${values.name}`);
  } catch (error) {
    if (error instanceof NatsConnectError) throw new UsageError(error.message);
    throw error;
  }
  const warn = (message: string): void => void process.stderr.write(`overseer agent: ${message}\n`);
  let host: Awaited<ReturnType<typeof createHost>>;
  try {
    host = await createHost({
      mode: 'cli',
      heartbeatMs: 0,
      claudeBinary,
      operatorTimeoutMs,
      ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
    });
  } catch (error) {
    await nc.close();
    throw error;
  }
  let runner: Awaited<ReturnType<typeof startRunner>>;
  try {
    runner = await startRunner({ nc, host, name: values.name, claudeBinary, heartbeatMs, onWarning: warn });
  } catch (error) {
    await host.close();
    await nc.close();
    if (error instanceof RunnerNameTakenError) throw new UsageError(error.message);
    throw error;
  }
  out(`Runner ${values.name} is online at ${settings.url}`);
  out(`Data directory: ${host.paths.root}`);
  if (claudeBinary !== null) out(`Claude Code: ${claudeBinary}`);

  const lost = nc.closed().then((error) => (error instanceof Error ? error.message : 'the NATS connection closed'));
  const reason = await Promise.race([
    new Promise<null>((resolveStop) => {
      const stop = (): void => resolveStop(null);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    }),
    lost,
  ]);
  out(reason === null ? 'Stopping…' : `Stopping: ${reason}`);
  runner.stopCommands();
  if (reason === null) await runner.close();
  // Goals still running end interrupted (resumable); those events are published at the next start.
  await host.close();
  if (!nc.isClosed()) await nc.close();
  return reason === null ? 0 : 1;
}
