// The browser-mode transport: one WebSocket to the host, reconnecting with backoff. It remembers
// the last event sequence number and asks for what it missed after a reconnect; a host restart
// (new host id) or a gap makes it ask the UI to reload its queries. The token goes only in the
// handshake (src/shared/socket-auth.ts); without one, or once the host refuses it, the transport
// stops and reports why instead of retrying.
import {
  parseHostEvent,
  parseInvokeResult,
  type CommandChannel,
  type HostEvent,
  type InvokeResult,
} from '../../shared/contract';
import { ServerFrameSchema, type ClientFrame } from '../../shared/wire';
import { socketProtocols, TOKEN_REFUSED_CLOSE } from '../../shared/socket-auth';
import { Listeners } from './listeners';
import type { Api, ConnectionStatus } from './types';

interface Pending {
  channel: CommandChannel;
  resolve: (result: InvokeResult<CommandChannel>) => void;
}

export function createWsApi(url: string, token: string | null): Api {
  const events = new Listeners<HostEvent>();
  const statuses = new Listeners<ConnectionStatus>();
  const resyncs = new Listeners<void>();
  const pending = new Map<number, Pending>();
  let status: ConnectionStatus = token === null ? 'no-token' : 'connecting';
  let socket: WebSocket | null = null;
  let nextId = 0;
  let lastSeq = -1;
  let hostId: string | null = null;
  let retryMs = 250;
  const outbox: ClientFrame[] = [];

  const setStatus = (next: ConnectionStatus): void => {
    status = next;
    statuses.emit(next);
  };

  const sendFrame = (frame: ClientFrame): void => {
    if (socket !== null && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    else outbox.push(frame);
  };

  const stopped = (): boolean => status === 'no-token' || status === 'token-refused';
  const stoppedMessage = (): string =>
    status === 'no-token'
      ? 'this tab has no access token: open the console with the URL printed by `overseer serve`'
      : "the host refused this tab's token: open the console with the URL printed by `overseer serve`";

  const failPending = (message: string): void => {
    for (const [id, entry] of pending) {
      entry.resolve({ ok: false, error: { code: 'unavailable', message, channel: entry.channel, issues: [] } });
      pending.delete(id);
    }
  };

  const connect = (secret: string): void => {
    const ws = new WebSocket(url, socketProtocols(secret));
    socket = ws;
    ws.onmessage = (message) => {
      let json: unknown;
      try {
        json = JSON.parse(String(message.data));
      } catch {
        return;
      }
      const frame = ServerFrameSchema.safeParse(json);
      if (!frame.success) return;
      const data = frame.data;
      switch (data.type) {
        case 'hello': {
          if (hostId !== null && hostId !== data.hostId) {
            lastSeq = -1;
            resyncs.emit();
          }
          hostId = data.hostId;
          retryMs = 250;
          ws.send(JSON.stringify({ type: 'subscribe', afterSeq: lastSeq } satisfies ClientFrame));
          for (const queued of outbox.splice(0)) ws.send(JSON.stringify(queued));
          setStatus('open');
          break;
        }
        case 'resync':
          lastSeq = data.latestSeq;
          resyncs.emit();
          break;
        case 'event': {
          const event = parseHostEvent(data);
          if (event === null || event.seq <= lastSeq) return;
          lastSeq = event.seq;
          events.emit(event);
          break;
        }
        case 'result': {
          const entry = pending.get(data.id);
          if (entry === undefined) return;
          pending.delete(data.id);
          entry.resolve(parseInvokeResult(entry.channel, data));
          break;
        }
        case 'error':
          break;
      }
    };
    ws.onclose = (event) => {
      if (event.code === TOKEN_REFUSED_CLOSE) {
        setStatus('token-refused');
        outbox.length = 0;
        failPending(stoppedMessage());
        return;
      }
      failPending('connection to the host was lost before it answered; try again');
      setStatus('reconnecting');
      setTimeout(() => connect(secret), retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  if (token !== null) connect(token);

  return {
    transport: 'browser',
    invoke<C extends CommandChannel>(channel: C, payload: unknown): Promise<InvokeResult<C>> {
      if (stopped())
        return Promise.resolve({
          ok: false,
          error: { code: 'unavailable', message: stoppedMessage(), channel, issues: [] },
        });
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { channel, resolve: resolve as (result: InvokeResult<CommandChannel>) => void });
        sendFrame({ type: 'invoke', id, channel, payload });
      });
    },
    subscribe: (listener) => events.add(listener),
    onStatus: (listener) => {
      listener(status);
      return statuses.add(listener);
    },
    onResync: (listener) => resyncs.add(listener),
  };
}
