// The one API the UI talks to. Components never know which transport is underneath.
import type { CommandChannel, CommandRequest, HostEvent, InvokeResult } from '../../shared/contract';

/** `no-token`: this tab was opened without the token; `token-refused`: the host refused it (it
 * changes every time `overseer serve` starts). Both wait for the operator to open the printed URL. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'no-token' | 'token-refused';

export interface Api {
  readonly transport: 'electron' | 'browser';
  invoke<C extends CommandChannel>(channel: C, payload: CommandRequest<C>): Promise<InvokeResult<C>>;
  /** Every host event, in order, once each. */
  subscribe(listener: (event: HostEvent) => void): () => void;
  /** Connection status changes; `resync` tells the UI to reload what it queried (events were missed). */
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  onResync(listener: () => void): () => void;
}

/** What the Electron preload exposes on `window.overseer`: the contract's two functions, and the
 * desktop's folder dialog (absent from an older preload; its answer is parsed before use). */
export interface PreloadBridge {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(listener: (event: unknown) => void): () => void;
  pickFolder?: () => Promise<unknown>;
}
