// `overseer runners [--json]`: the runners that announced themselves on the NATS server, online
// or offline, with what each offers. Reads the presence bucket only; loads NATS only here.
import { parseArgs } from 'node:util';
import { RUNNERS_HELP } from './usage-nats.js';
import { UsageError } from './usage.js';
import { NATS_FLAG_OPTIONS, natsSettings } from './nats-flags.js';

function ago(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  return `${Math.round(seconds / 3600)}h ago`;
}

export async function runnersCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...NATS_FLAG_OPTIONS,
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return (out(RUNNERS_HELP), 0);
  const settings = natsSettings(values);
  const { connectNats, NatsConnectError } = await import('../nats/index.js');
  const { listRunners, openPresence } = await import('../nats/index.js');
  let nc: Awaited<ReturnType<typeof connectNats>>;
  try {
    nc = await connectNats({ ...settings }, 'overseer-cli runners');
  } catch (error) {
    if (error instanceof NatsConnectError) throw new UsageError(error.message);
    throw error;
  }
  try {
    const kv = await openPresence(nc);
    const runners = kv === null ? [] : await listRunners(kv);
    if (values.json) {
      out(JSON.stringify(runners.map((r) => ({ ...r.presence, online: r.online, lastSeen: r.lastSeen }))));
      return 0;
    }
    if (runners.length === 0) {
      out(`No runners on ${settings.url} yet. Start one with: overseer agent --nats ${settings.url} --name NAME`);
      return 0;
    }
    out('NAME                 STATE    LAST SEEN   SLOTS  RUNNING  VERSION   OS / CLAUDE');
    for (const { presence: p, online, lastSeen } of runners) {
      const state = online ? 'online' : p.state === 'stopped' ? 'stopped' : 'offline';
      const slots = `${p.freeSlots}/${p.maxSlots}`;
      out(
        `${p.name.padEnd(20)} ${state.padEnd(8)} ${ago(lastSeen).padEnd(11)} ${slots.padStart(5)}  ${String(p.runningGoalIds.length).padStart(7)}  ${p.version.padEnd(8)}  ${p.os} on ${p.hostname}; claude: ${p.claudeBinary ?? 'not found'}`,
      );
    }
    return 0;
  } finally {
    await nc.close();
  }
}
