// The runner's command transport: request/reply on `overseer.runner.<name>.cmd.<channel>`, each
// request handed to the host's dispatcher (validated against the contract there, like the IPC and
// WebSocket transports) and answered with its InvokeResult. Commands that would act on the
// runner's own desktop or reveal its data directory are not offered. Every message is guarded:
// nothing a client sends can stop the runner.
import type { Msg, NatsConnection, Subscription } from '@nats-io/transport-node';
import { capCommandError } from '../../shared/wire.js';
import type { CommandDispatcher } from '../host/index.js';
import { commandPrefix } from './subjects.js';

/** Channels a runner does not serve over NATS, with the reason the caller is told. */
export const NOT_OVER_NATS: Readonly<Record<string, string>> = {
  'app.info': 'a runner does not reveal its data directory; its presence record says what it is',
  'goal.open': "opening an editor or terminal would open it on the runner's machine",
};

/** Largest request body read (the contract's own limits apply after). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

function reply(msg: Msg, body: unknown): void {
  if (msg.reply === undefined || msg.reply === '') return;
  msg.respond(JSON.stringify(body));
}

function refuse(
  msg: Msg,
  channel: string | null,
  code: 'invalid_payload' | 'unauthorized' | 'internal',
  message: string,
): void {
  reply(msg, { ok: false, error: capCommandError({ code, message, channel, issues: [] }) });
}

export function serveCommands(nc: NatsConnection, runner: string, dispatcher: CommandDispatcher): Subscription {
  const prefix = `${commandPrefix(runner)}.`;
  const maxPayload = (): number => nc.info?.max_payload ?? 1024 * 1024;

  async function handle(msg: Msg): Promise<void> {
    const channel = msg.subject.startsWith(prefix) ? msg.subject.slice(prefix.length) : null;
    if (channel === null || channel === '')
      return refuse(msg, null, 'invalid_payload', `no command channel in subject "${msg.subject}"`);
    const refused = NOT_OVER_NATS[channel];
    if (refused !== undefined)
      return refuse(msg, channel, 'unauthorized', `"${channel}" is not offered over NATS: ${refused}`);
    if (msg.data.length > MAX_REQUEST_BYTES)
      return refuse(
        msg,
        channel,
        'invalid_payload',
        `request of ${msg.data.length} bytes is over the ${MAX_REQUEST_BYTES}-byte limit`,
      );
    let payload: unknown = {};
    if (msg.data.length > 0) {
      try {
        payload = JSON.parse(msg.string());
      } catch {
        return refuse(msg, channel, 'invalid_payload', 'the request body is not JSON');
      }
    }
    const result = await dispatcher.invoke(channel, payload, { transport: 'nats' });
    const body = JSON.stringify(result);
    const limit = maxPayload();
    if (Buffer.byteLength(body) > limit - 1024) {
      return refuse(
        msg,
        channel,
        'internal',
        `the answer (${Buffer.byteLength(body)} bytes) is larger than the NATS server's max_payload (${limit} bytes); raise max_payload on the server`,
      );
    }
    if (msg.reply !== undefined && msg.reply !== '') msg.respond(body);
  }

  return nc.subscribe(`${prefix}>`, {
    callback: (error, msg) => {
      if (error !== null) return;
      handle(msg).catch((failure: unknown) => {
        try {
          refuse(
            msg,
            null,
            'internal',
            `the command failed: ${failure instanceof Error ? failure.message : String(failure)}`,
          );
        } catch {
          // The connection is gone; the caller times out.
        }
      });
    },
  });
}
