// The remote HostClient: the running console's host over its loopback WebSocket (the browser-mode
// protocol of src/shared/wire.ts). Answers and events are parsed against the contract; a closed
// connection fails what is still waiting with `unavailable` and tells onLost listeners.
import type { RawData } from 'ws';
import {
  parseHostEvent,
  parseInvokeResult,
  type CommandChannel,
  type CommandRequest,
  type CommandResponse,
  type HostEvent,
} from '../../../shared/contract.js';
import { ServerFrameSchema } from '../../../shared/wire.js';
import type { HostEndpoint } from '../../host/index.js';
import { openAuthenticatedSocket } from './auth.js';
import { CommandFailure, type HostClient } from './client.js';

const MAX_FRAME_BYTES = 256 * 1024 * 1024;

export class HostUnreachableError extends Error {
  override readonly name = 'HostUnreachableError';
}

export async function connectRemote(endpoint: HostEndpoint): Promise<HostClient> {
  const socket = openAuthenticatedSocket(endpoint, MAX_FRAME_BYTES);
  const pending = new Map<
    number,
    { channel: CommandChannel; settle: (raw: unknown) => void; fail: (error: Error) => void }
  >();
  const listeners = new Set<(event: HostEvent) => void>();
  const lostListeners = new Set<(reason: string) => void>();
  let nextId = 1;
  let lost: string | null = null;

  await new Promise<void>((resolve, reject) => {
    const refuse = (error: Error): void => {
      reject(
        new HostUnreachableError(
          `the running Overseer (${endpoint.mode}, pid ${endpoint.pid}) at ${endpoint.url} did not answer: ${error.message}`,
        ),
      );
    };
    socket.once('error', refuse);
    socket.once('unexpected-response', (_request, response) => {
      refuse(new Error(`HTTP ${response.statusCode ?? '?'} ${response.statusMessage ?? ''}`.trim()));
      response.resume();
    });
    // The server greets first; subscribing from its latest seq misses nothing published after.
    socket.once('message', (data: RawData) => {
      socket.off('error', refuse);
      const frame = ServerFrameSchema.safeParse(safeJson(data));
      if (!frame.success || frame.data.type !== 'hello') {
        socket.terminate();
        refuse(new Error('it did not greet with a hello frame'));
        return;
      }
      socket.send(JSON.stringify({ type: 'subscribe', afterSeq: frame.data.latestSeq }));
      resolve();
    });
  });

  socket.on('message', (data: RawData) => {
    const frame = ServerFrameSchema.safeParse(safeJson(data));
    if (!frame.success) return;
    if (frame.data.type === 'event') {
      const event = parseHostEvent(frame.data);
      if (event === null) return;
      for (const listener of listeners) listener(event);
    } else if (frame.data.type === 'result') {
      const waiter = pending.get(frame.data.id);
      if (waiter === undefined) return;
      pending.delete(frame.data.id);
      waiter.settle(frame.data);
    }
  });
  const markLost = (reason: string): void => {
    if (lost !== null) return;
    lost = reason;
    for (const waiter of pending.values())
      waiter.fail(new CommandFailure({ code: 'unavailable', message: reason, channel: waiter.channel, issues: [] }));
    pending.clear();
    for (const listener of lostListeners) listener(reason);
  };
  socket.on('close', () => markLost('the connection to the running Overseer closed (was it stopped?)'));
  socket.on('error', (error) => markLost(`the connection to the running Overseer failed: ${error.message}`));

  return {
    kind: 'remote',
    invoke<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<CommandResponse<C>> {
      if (lost !== null)
        return Promise.reject(new CommandFailure({ code: 'unavailable', message: lost, channel, issues: [] }));
      const id = nextId++;
      return new Promise<CommandResponse<C>>((resolve, reject) => {
        pending.set(id, {
          channel,
          settle: (raw) => {
            const result = parseInvokeResult(channel, raw);
            if (result.ok) resolve(result.value);
            else reject(new CommandFailure(result.error));
          },
          fail: reject,
        });
        socket.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onLost(listener) {
      lostListeners.add(listener);
    },
    async close() {
      lostListeners.clear();
      if (socket.readyState === socket.CLOSED) return;
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
}

function safeJson(data: RawData): unknown {
  try {
    return JSON.parse(data.toString());
  } catch {
    return null;
  }
}
