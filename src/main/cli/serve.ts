// `overseer serve`: the host plus the browser-mode server, until SIGINT/SIGTERM. Every option is
// checked before the host starts; a start-up failure closes what was opened (data-directory lock,
// permission socket) so the process exits non-zero at once.
import { parseArgs } from 'node:util';
import { createHost } from '../host/index.js';
import { startBrowserServer, isLoopbackHost, findRendererDir, publishEndpoint } from '../server/index.js';
import { SERVE_HELP, UsageError } from './usage.js';
import { wholeNumberFlag } from './number-flags.js';
import { NATS_FLAG_OPTIONS, natsFlagGiven, natsSettings } from './nats-flags.js';
import { CONSOLE_NAME_MAX, defaultConsoleName, watchRunners, type RunnerWatch } from './serve-runners.js';

export async function serveCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      ...NATS_FLAG_OPTIONS,
    },
    strict: true,
  });
  if (values.help === true) {
    out(SERVE_HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : wholeNumberFlag('--port', values.port, { min: 0, max: 65535 });
  const heartbeatMs =
    values['heartbeat-ms'] === undefined
      ? 5000
      : wholeNumberFlag('--heartbeat-ms', values['heartbeat-ms'], { min: 0, unit: 'of milliseconds' });
  if (!isLoopbackHost(values.host)) {
    throw new UsageError(
      `--host must be a loopback address (127.0.0.1, ::1 or localhost), got "${values.host}": browser mode never serves other machines`,
    );
  }
  const consoleName = values.name === undefined ? defaultConsoleName() : values.name.trim();
  if (consoleName === '' || consoleName.length > CONSOLE_NAME_MAX)
    throw new UsageError(`--name must be 1 to ${CONSOLE_NAME_MAX} characters, got "${values.name ?? ''}"`);
  // With a NATS URL (--nats or OVERSEER_NATS_URL) the console lists the runners on that server.
  const watching: RunnerWatch | null =
    natsFlagGiven(values) || (process.env['OVERSEER_NATS_URL'] ?? '').trim() !== ''
      ? await watchRunners(natsSettings(values), consoleName)
      : null;
  let host: Awaited<ReturnType<typeof createHost>>;
  try {
    host = await createHost({
      mode: 'browser',
      heartbeatMs,
      ...(values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}),
      ...(watching !== null ? { runners: watching.list } : {}),
    });
  } catch (error) {
    await watching?.close();
    throw error;
  }
  try {
    await watching?.attach(host, (message) => out(`warning: ${message}`));
  } catch (error) {
    await host.close();
    await watching?.close();
    throw error;
  }
  const rendererDir = findRendererDir();
  let server: Awaited<ReturnType<typeof startBrowserServer>>;
  try {
    server = await startBrowserServer({ host, port, bindHost: values.host, rendererDir });
  } catch (error) {
    await host.close();
    await watching?.close();
    throw error;
  }
  if (rendererDir === null) out('warning: the renderer is not built (run `npm run build`); the page will say so.');
  // The CLI finds this host (and its token) here while it runs: see host/endpoint-file.ts.
  const unpublish = publishEndpoint(host, server, 'serve');
  out(`Overseer is serving at ${server.url}`);
  out(`Data directory: ${host.paths.root}`);
  if (watching !== null) out(`Watching the runners on ${watching.url}`);

  // The first SIGINT/SIGTERM stops gracefully. Stopping is bounded (running turns get the kill grace
  // period, then their process trees are killed), so later signals, until the process exits, are
  // answered, not obeyed: dying half-way would leave Claude processes running with nobody to stop them.
  let stopping = false;
  const onSignal = (): void => {
    if (stopping) out('Still stopping: running turns are being ended and the data saved…');
  };
  await new Promise<void>((resolveStop) => {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    const stop = (): void => {
      stopping = true;
      resolveStop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  out('Stopping…');
  unpublish();
  await server.close();
  await watching?.close();
  await host.close();
  return 0;
}
