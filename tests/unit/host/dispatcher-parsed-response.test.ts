// A response marked as built from already-parsed data is not parsed again; any other response is,
// including an interceptor's answer from elsewhere for the same command.
import { describe, expect, it } from 'vitest';
import { CommandDispatcher, parsedAtItsBoundary } from '../../../src/main/host/dispatcher.js';

const ctx = { transport: 'local' as const };
const goalId = '00000000-0000-4000-8000-000000000001';

describe('responses parsed at their boundary', () => {
  it('passes a marked response through as it is (not parsed a second time)', async () => {
    const dispatcher = new CommandDispatcher();
    // A marked object is returned by identity: even a shape the contract would refuse goes through,
    // which shows the response was not parsed again (production marks only parsed data).
    const marked = parsedAtItsBoundary({ events: [], hasMore: false, total: -1 });
    dispatcher.register('goal.events', () => marked);
    const result = await dispatcher.invoke('goal.events', { goalId }, ctx);
    expect(result).toEqual({ ok: true, value: marked });
    if (result.ok) expect(result.value).toBe(marked);
  });

  it('still checks an unmarked response: a malformed one is a host bug (internal)', async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('goal.events', () => ({ events: [], hasMore: false, total: -1 }));
    const result = await dispatcher.invoke('goal.events', { goalId }, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
  });

  it("still checks an interceptor's own answer for a command whose local answer is marked", async () => {
    const dispatcher = new CommandDispatcher();
    dispatcher.register('goal.events', () => parsedAtItsBoundary({ events: [], hasMore: false, total: 0 }));
    dispatcher.intercept(() => Promise.resolve({ events: [{ bogus: true }], hasMore: false, total: 0 }));
    const result = await dispatcher.invoke('goal.events', { goalId }, ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('internal');
  });
});
