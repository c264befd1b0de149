// A cancellation signal for one permission request. Every prompt carries one on each side of the socket
// (the bridge: Claude may cancel the MCP call; the host: the bridge may cancel or disconnect), and almost
// none is ever cancelled, so an AbortController (an EventTarget, about 10 µs to create and listen to in
// Node 20, measured in the bridge's CPU profile) per prompt was cost with no use. CancelSignal is the part
// of AbortSignal the permission code reads, so an AbortSignal (the SDK's, a test's) still fits.
export interface CancelSignal {
  readonly aborted: boolean;
  /** Calls `listener` once when the signal aborts; never if it already has (as AbortSignal does). */
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/** The controller of one CancelSignal (the signal is the object itself). */
export class Cancellation implements CancelSignal {
  private done = false;
  private listeners: (() => void)[] | null = null;

  get aborted(): boolean {
    return this.done;
  }

  get signal(): CancelSignal {
    return this;
  }

  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.done) return;
    (this.listeners ??= []).push(listener);
  }

  /** Aborts once: every listener runs; one that throws does not stop the others (its error is rethrown later). */
  abort(): void {
    if (this.done) return;
    this.done = true;
    const listeners = this.listeners ?? [];
    this.listeners = null;
    for (const listener of listeners) {
      try {
        listener();
      } catch (error) {
        // As an EventTarget does: the error surfaces as uncaught, after the other listeners ran.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
