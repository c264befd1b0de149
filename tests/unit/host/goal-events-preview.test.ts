// goal.events with `clipTextsAt` through the real host: long display texts (Claude's messages,
// tool inputs and results, system details, error results, prompts) come cut to the limit, the rest
// of each event whole, and the stored events unchanged (asked for without the limit they come
// whole). (tests/unit/renderer/timeline-page-preview.test.ts: the rows built from a cut page.) And
// paging back with `skip`: pages asked for from one anchor follow on from each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { openStores } from '../../../src/main/store/index.js';
import type { CommandResponse } from '../../../src/shared/contract.js';
import type { DriverEvent } from '../../../src/shared/events.js';
import { previewEvent } from '../../../src/main/host/services/event-preview.js';
import { testGoal } from '../../helpers/goal.js';
import { ZERO_USAGE } from '../../../src/shared/domain/goal.js';

/** What the timeline asks for: one character more than its preview of 800 keeps. */
const PAGE_CLIP_CHARS = 801;
const REQUEST_ID = '00000000-0000-4000-8000-0000000000aa';

const LONG = (tag: string): string => `${tag}:` + 'abcdefghij\n'.repeat(300) + `END-${tag}`;

let dir: string;
let host: Host | undefined;
const goal = testGoal({ description: 'previews' });
const goalId = goal.id;

function events(): DriverEvent[] {
  const input = { command: LONG('command'), nested: { list: [LONG('item'), 7, 'short'] } };
  return [
    { kind: 'goal_started', goalId, goal: { ...goal, description: LONG('description') } },
    {
      kind: 'attempt_started',
      goalId,
      turnIndex: 0,
      usage: ZERO_USAGE,
      compact: false,
      prompt: LONG('prompt'),
    },
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'text', text: LONG('text') } },
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'thinking', text: 'short thought' } },
    { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'tool_use', toolUseId: 'tu1', name: 'Bash', input } },
    {
      kind: 'permission_requested',
      goalId,
      request: {
        id: REQUEST_ID,
        goalId,
        turnIndex: 0,
        toolName: 'Bash',
        toolUseId: 'tu1',
        input,
        createdAt: '2026-11-30T07:00:00.000Z',
      },
    },
    {
      kind: 'permission_decided',
      goalId,
      requestId: REQUEST_ID,
      toolName: 'Bash',
      decision: { behavior: 'allow', updatedInput: { ...input, command: `${LONG('command')} --edited` } },
      decidedBy: { kind: 'operator' },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'tool_result', toolUseId: 'tu1', content: LONG('result'), isError: false, truncated: false },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: {
        type: 'tool_use',
        toolUseId: 'tu2',
        name: 'Edit',
        input: { file_path: '/r/a.ts', old_string: LONG('old'), new_string: 'x' },
      },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'system', subtype: 'note', sessionId: null, detail: LONG('detail') },
    },
    {
      kind: 'turn_output',
      goalId,
      turnIndex: 0,
      entry: { type: 'result', subtype: 'error_during_execution', isError: true, text: LONG('error'), costUsd: 0.5 },
    },
    { kind: 'driver_warning', goalId, message: 'a short warning' },
  ];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overseer-goal-events-preview-'));
  const stores = openStores(join(dir, 'overseer.db'));
  try {
    stores.goals.insert(goal, 'pending');
    for (const event of events()) stores.events.append(event);
    stores.events.flush();
  } finally {
    stores.close();
  }
  host = await createHost({ mode: 'browser', dataDir: dir, heartbeatMs: 0 });
}, 120_000);

afterAll(async () => {
  await host?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function page(clipTextsAt?: number): Promise<CommandResponse<'goal.events'>> {
  if (host === undefined) throw new Error('no host');
  const request = {
    goalId,
    afterSeq: 0,
    limit: events().length,
    ...(clipTextsAt === undefined ? {} : { clipTextsAt }),
  };
  const result = await host.dispatcher.invoke('goal.events', request, { transport: 'local' });
  if (!result.ok) throw new Error(result.error.message);
  return result.value as CommandResponse<'goal.events'>;
}

describe('goal.events with long texts cut', () => {
  it('cuts the display texts to the limit and leaves the rest whole', async () => {
    const whole = await page();
    const cut = await page(PAGE_CLIP_CHARS);
    expect(whole.events.map((logged) => logged.event)).toEqual(events());
    expect(cut.events.map((logged) => logged.logSeq)).toEqual(whole.events.map((logged) => logged.logSeq));
    const expected = events().map((event) => previewEvent(event, PAGE_CLIP_CHARS));
    expect(cut.events.map((logged) => logged.event)).toEqual(expected);
    const byKind = cut.events.map((logged) => logged.event);
    const text = JSON.stringify(byKind);
    for (const tag of ['prompt', 'text', 'command', 'item', 'result', 'old', 'detail', 'error'])
      expect(
        JSON.stringify(
          byKind.filter((event) => event.kind !== 'permission_requested' && event.kind !== 'permission_decided'),
        ),
      ).not.toContain(`END-${tag}`);
    // Kept whole: the goal record, and permission requests and decisions (their inputs are compared).
    expect(text).toContain('END-description');
    expect(cut.events[5]?.event).toEqual(whole.events[5]?.event);
    expect(cut.events[6]?.event).toEqual(whole.events[6]?.event);
    const prompt = cut.events[1]?.event;
    expect(prompt?.kind === 'attempt_started' ? prompt.prompt : null).toBe(LONG('prompt').slice(0, PAGE_CLIP_CHARS));
    const tool = cut.events[4]?.event;
    expect(tool?.kind === 'turn_output' && tool.entry.type === 'tool_use' ? tool.entry.input : null).toEqual({
      command: LONG('command').slice(0, PAGE_CLIP_CHARS),
      nested: { list: [LONG('item').slice(0, PAGE_CLIP_CHARS), 7, 'short'] },
    });
    expect(cut.total).toBe(whole.total);
    expect(cut.hasMore).toBe(whole.hasMore);
    // Much less to send.
    expect(JSON.stringify(cut).length).toBeLessThan(JSON.stringify(whole).length * 0.6);
  });

  it('leaves events without a long text as they are (the same object)', () => {
    const short: DriverEvent = { kind: 'turn_output', goalId, turnIndex: 0, entry: { type: 'text', text: 'hi' } };
    expect(previewEvent(short, PAGE_CLIP_CHARS)).toBe(short);
    const started = events()[0];
    if (started === undefined) throw new Error('no event');
    expect(previewEvent(started, PAGE_CLIP_CHARS)).toBe(started);
  });
});

describe('goal.events paging back with skip', () => {
  async function backwards(request: Record<string, unknown>): Promise<CommandResponse<'goal.events'>> {
    if (host === undefined) throw new Error('no host');
    const result = await host.dispatcher.invoke('goal.events', { goalId, ...request }, { transport: 'local' });
    if (!result.ok) throw new Error(result.error.message);
    return result.value as CommandResponse<'goal.events'>;
  }

  it('leaves out the newest `skip` events before beforeSeq, so pages from one anchor follow on', async () => {
    const all = (await backwards({ afterSeq: 0, limit: 100 })).events.map((logged) => logged.logSeq);
    const anchor = (all.at(-1) ?? 0) + 1;
    const pages = [];
    for (let skip = 0; skip < all.length; skip += 3) pages.push(await backwards({ beforeSeq: anchor, skip, limit: 3 }));
    expect(pages.flatMap((answer) => answer.events.map((logged) => logged.logSeq)).sort((a, b) => a - b)).toEqual(all);
    expect(pages.map((answer) => answer.hasMore)).toEqual(pages.map((_, index) => index < pages.length - 1));
    const past = await backwards({ beforeSeq: anchor, skip: all.length, limit: 3 });
    expect(past).toMatchObject({ events: [], hasMore: false, total: all.length });
  });

  it('refuses skip with afterSeq (it pages backwards)', async () => {
    if (host === undefined) throw new Error('no host');
    const result = await host.dispatcher.invoke(
      'goal.events',
      { goalId, afterSeq: 0, skip: 2 },
      { transport: 'local' },
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.issues.map((issue) => issue.path)).toEqual(['skip']);
  });
});
