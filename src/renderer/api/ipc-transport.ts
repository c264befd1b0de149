// The Electron transport: the preload's `invoke`/`subscribe`, with every answer and event parsed
// against the contract before the UI sees it.
import { parseHostEvent, parseInvokeResult, type CommandChannel, type HostEvent } from '../../shared/contract';
import { Listeners } from './listeners';
import type { Api, ConnectionStatus, PreloadBridge } from './types';

export function createIpcApi(bridge: PreloadBridge): Api {
  const events = new Listeners<HostEvent>();
  const statuses = new Listeners<ConnectionStatus>();
  const resyncs = new Listeners<void>();
  let lastSeq = -1;
  bridge.subscribe((raw) => {
    const event = parseHostEvent(raw);
    if (event === null || event.seq <= lastSeq) return;
    lastSeq = event.seq;
    events.emit(event);
  });
  return {
    transport: 'electron',
    async invoke<C extends CommandChannel>(channel: C, payload: unknown) {
      try {
        return parseInvokeResult(channel, await bridge.invoke(channel, payload));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { ok: false, error: { code: 'unavailable', message, channel, issues: [] } };
      }
    },
    subscribe: (listener) => events.add(listener),
    onStatus: (listener) => {
      listener('open');
      return statuses.add(listener);
    },
    onResync: (listener) => resyncs.add(listener),
  };
}
