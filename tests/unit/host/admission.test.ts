import { describe, expect, it } from 'vitest';
import { AdmissionQueue } from '../../../src/main/host/admission.js';

function memoryOrder(initial: string[] = []) {
  const saved = { ids: [...initial] };
  return {
    saved,
    store: { load: () => [...saved.ids], save: (ids: readonly string[]) => void (saved.ids = [...ids]) },
  };
}

describe('AdmissionQueue', () => {
  it('keeps FIFO order, moves up one place, removes, and persists every change', () => {
    const { saved, store } = memoryOrder();
    const queue = new AdmissionQueue(store);
    expect([queue.push('a'), queue.push('b'), queue.push('c'), queue.push('b')]).toEqual([1, 2, 3, 2]);
    expect(queue.moveUp('c')).toBe(2);
    expect(queue.list()).toEqual(['a', 'c', 'b']);
    expect(queue.moveUp('a')).toBe(1);
    expect(queue.moveUp('zzz')).toBeNull();
    expect(queue.remove('c')).toBe(true);
    expect(queue.remove('c')).toBe(false);
    expect(saved.ids).toEqual(['a', 'b']);
    expect(queue.shift()).toBe('a');
    expect(queue.position('b')).toBe(1);
    expect(saved.ids).toEqual(['b']);
  });

  it('after a restart keeps the saved order of goals still queued and appends the others', () => {
    const { store } = memoryOrder(['c', 'gone', 'a']);
    const queue = new AdmissionQueue(store);
    queue.reconcile(['a', 'b', 'c']);
    expect(queue.list()).toEqual(['c', 'a', 'b']);
  });
});
