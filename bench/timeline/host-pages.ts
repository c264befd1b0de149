// The host's side of paging the timeline, in-process (no browser, so a busy machine disturbs it
// less than bench/timeline/run.ts): paging a 100k-event goal's whole history back through the real
// host's goal.events in the timeline's page sizes, each answer serialized as the browser server
// sends it and parsed as the page parses it, with the long texts whole (as before) and cut
// (clipTextsAt, as the timeline asks now), alternated round by round; and what the first page's
// event count costs on a freshly opened database: counting the goal's rows against reading its
// stored count. Run: node --import tsx bench/timeline/host-pages.ts [events=100000] [rounds=5]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../../src/main/host/host.js';
import { openStores } from '../../src/main/store/index.js';
import type { CommandResponse } from '../../src/shared/contract.js';
import { seedTimeline } from '../../tests/helpers/seed-timeline.js';

const count = Number(process.argv[2] ?? 100_000);
const rounds = Number(process.argv[3] ?? 5);
/** The timeline's pages: 200 first, then 1,000 doubling up to 10,000 (src/renderer/state/timeline.ts). */
const FIRST_PAGE = 200;
const OLDER_PAGE = 1000;
const MAX_OLDER_PAGE = 10_000;
const CLIP = 801;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

const dataDir = mkdtempSync(join(tmpdir(), 'overseer-bench-host-pages-'));
try {
  const seeded = seedTimeline(dataDir, count);

  // The count: a fresh connection each time (nothing cached in the process).
  const countRows: number[] = [];
  const storedCount: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const stores = openStores(join(dataDir, 'overseer.db'));
    try {
      let started = performance.now();
      stores.db.prepare('SELECT count(*) FROM events WHERE goal_id = ?').pluck().get(seeded.goalId);
      countRows.push(performance.now() - started);
      started = performance.now();
      stores.events.countForGoal(seeded.goalId);
      storedCount.push(performance.now() - started);
    } finally {
      stores.close();
    }
  }

  const host = await createHost({ mode: 'browser', dataDir, heartbeatMs: 0 });
  const times: Record<'whole' | 'cut', { host: number[]; parse: number[]; bytes: number }> = {
    whole: { host: [], parse: [], bytes: 0 },
    cut: { host: [], parse: [], bytes: 0 },
  };
  try {
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? (['whole', 'cut'] as const) : (['cut', 'whole'] as const)) {
        let beforeSeq: number | undefined;
        let limit = FIRST_PAGE;
        let hostMs = 0;
        let parseMs = 0;
        let bytes = 0;
        for (;;) {
          const request = {
            goalId: seeded.goalId,
            limit,
            ...(beforeSeq === undefined ? {} : { beforeSeq }),
            ...(mode === 'cut' ? { clipTextsAt: CLIP } : {}),
          };
          let started = performance.now();
          const result = await host.dispatcher.invoke('goal.events', request, { transport: 'browser' });
          if (!result.ok) throw new Error(result.error.message);
          const text = JSON.stringify({ type: 'result', id: 1, ok: true, value: result.value });
          hostMs += performance.now() - started;
          bytes += text.length;
          started = performance.now();
          const parsed = JSON.parse(text) as { value: CommandResponse<'goal.events'> };
          parseMs += performance.now() - started;
          const page = parsed.value;
          if (!page.hasMore || page.events.length === 0) break;
          beforeSeq = page.events[0]?.logSeq;
          limit = limit === FIRST_PAGE ? OLDER_PAGE : Math.min(MAX_OLDER_PAGE, limit * 2);
        }
        times[mode].host.push(hostMs);
        times[mode].parse.push(parseMs);
        times[mode].bytes = bytes;
      }
    }
  } finally {
    await host.close();
  }
  const fmt = (value: number): string => value.toFixed(0).padStart(6);
  console.log(
    `paging a ${count.toLocaleString()}-event goal's whole history through goal.events (median of ${rounds}):`,
  );
  for (const mode of ['whole', 'cut'] as const) {
    const figures = times[mode];
    console.log(
      `  texts ${mode === 'whole' ? 'whole' : `cut at ${CLIP}`.padEnd(5)}: host read + serialize ${fmt(median(figures.host))} ms,` +
        ` page's JSON.parse ${fmt(median(figures.parse))} ms, ${(figures.bytes / 1024 / 1024).toFixed(2)} MB`,
    );
  }
  console.log(
    `the first page's event count on a fresh connection (median of ${rounds}): counting the rows ${median(countRows).toFixed(1)} ms,` +
      ` the stored count ${median(storedCount).toFixed(2)} ms`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
