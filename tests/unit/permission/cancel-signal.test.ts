// Cancellation, the permission path's cheap stand-in for AbortController: each scenario runs against both,
// and must read the same (aborted flag, listeners called once, none after the abort, the order kept).
import { describe, expect, it } from 'vitest';
import { Cancellation, type CancelSignal } from '../../../src/main/permission/cancel-signal.js';

interface Controller {
  signal: CancelSignal;
  abort(): void;
}

const kinds: [string, () => Controller][] = [
  ['AbortController', () => new AbortController()],
  ['Cancellation', () => new Cancellation()],
];

describe.each(kinds)('%s', (_name, make) => {
  it('is not aborted until abort(), then stays aborted', () => {
    const controller = make();
    expect(controller.signal.aborted).toBe(false);
    controller.abort();
    expect(controller.signal.aborted).toBe(true);
    controller.abort();
    expect(controller.signal.aborted).toBe(true);
  });

  it('calls each listener once, in the order added, and none added after the abort', () => {
    const controller = make();
    const calls: string[] = [];
    controller.signal.addEventListener('abort', () => calls.push('first'), { once: true });
    controller.signal.addEventListener('abort', () => calls.push('second'));
    controller.abort();
    controller.abort();
    controller.signal.addEventListener('abort', () => calls.push('late'));
    controller.abort();
    expect(calls).toEqual(['first', 'second']);
  });

  it('never calls a listener of a signal that is not aborted', () => {
    const controller = make();
    let called = false;
    controller.signal.addEventListener('abort', () => {
      called = true;
    });
    expect(called).toBe(false);
  });
});
