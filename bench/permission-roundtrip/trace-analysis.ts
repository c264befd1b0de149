// Where each permission round trip spent its time, from the records of trace-preload.mjs in the bench
// process (MCP client + host) and in the bridge: nine steps per request, each owned by one process,
// either working (its own code) or waking up (bytes were written to it; it had not yet read them:
// scheduling on a busy machine, a garbage collection, or other work on its event loop). For the
// slowest 1 % of round trips it names the step that took longest, and whether that process was
// collecting garbage during it.
import { z } from 'zod';

/** [time ns, kind (0 data, 1 write, 2 GC), role, GC duration ns] as trace-preload.mjs records them. */
export const TraceRecordsSchema = z.array(
  z.union([
    z.tuple([z.number(), z.literal(0).or(z.literal(1)), z.string()]),
    z.tuple([z.number(), z.literal(2), z.literal('gc'), z.number()]),
  ]),
);
export type TraceRecords = z.infer<typeof TraceRecordsSchema>;

/** One request as the bench saw it: from the client's call to the answer being in hand (ns). */
export interface RequestWindow {
  startNs: number;
  endNs: number;
}

const STEPS = [
  { key: 'clientSend', label: 'bench client: call → stdin write', process: 'bench', waking: false },
  { key: 'bridgeWakeIn', label: 'bridge wakes: stdin write → bridge reads it', process: 'bridge', waking: true },
  { key: 'bridgeIn', label: 'bridge: reads MCP request → writes decide frame', process: 'bridge', waking: false },
  { key: 'hostWake', label: 'host wakes: frame written → host reads it', process: 'bench', waking: true },
  { key: 'host', label: 'host: reads frame → decides, records → writes answer', process: 'bench', waking: false },
  { key: 'bridgeWakeOut', label: 'bridge wakes: answer written → bridge reads it', process: 'bridge', waking: true },
  { key: 'bridgeOut', label: 'bridge: reads answer → writes MCP result', process: 'bridge', waking: false },
  { key: 'clientWake', label: 'client wakes: result written → client reads it', process: 'bench', waking: true },
  { key: 'clientRead', label: 'bench client: reads result → call resolves', process: 'bench', waking: false },
] as const;
type StepKey = (typeof STEPS)[number]['key'];

interface Timed {
  t: number;
  kind: number;
  role: string;
}

class Cursor {
  private index = 0;
  constructor(private readonly events: Timed[]) {}
  /** First event at or after `from` with this kind and role; moves past it. */
  next(from: number, kind: number, role: string): number | null {
    while (this.index < this.events.length && (this.events[this.index]?.t ?? Infinity) < from) this.index++;
    for (let i = this.index; i < this.events.length; i++) {
      const event = this.events[i];
      if (event !== undefined && event.kind === kind && event.role === role) {
        this.index = i + 1;
        return event.t;
      }
    }
    return null;
  }
  /** Last event with this kind and role before `until`, looking forward from the cursor; moves past it. */
  lastBefore(until: number, kind: number, role: string): number | null {
    let found: number | null = null;
    for (let i = this.index; i < this.events.length; i++) {
      const event = this.events[i];
      if (event === undefined || event.t >= until) break;
      if (event.kind === kind && event.role === role) {
        found = event.t;
        this.index = i + 1;
      }
    }
    return found;
  }
}

function split(records: TraceRecords): { events: Timed[]; gcs: { start: number; end: number }[] } {
  const events: Timed[] = [];
  const gcs: { start: number; end: number }[] = [];
  for (const record of records) {
    if (record[1] === 2) gcs.push({ start: record[0], end: record[0] + record[3] });
    else events.push({ t: record[0], kind: record[1], role: record[2] });
  }
  events.sort((a, b) => a.t - b.t);
  gcs.sort((a, b) => a.start - b.start);
  return { events, gcs };
}

function overlapsGc(gcs: { start: number; end: number }[], from: number, to: number): boolean {
  return gcs.some((gc) => gc.start < to && gc.end > from);
}

const DATA = 0;
const WRITE = 1;

/** The nine step durations (ms) of each request that could be lined up, and which steps overlapped a GC. */
export function stepsOf(
  windows: RequestWindow[],
  bench: TraceRecords,
  bridge: TraceRecords,
): { steps: Record<StepKey, number>[]; gcIn: Record<StepKey, boolean>[]; unmatched: number } {
  const benchSide = split(bench);
  const bridgeSide = split(bridge);
  const benchCursor = new Cursor(benchSide.events);
  const bridgeCursor = new Cursor(bridgeSide.events);
  const steps: Record<StepKey, number>[] = [];
  const gcIn: Record<StepKey, boolean>[] = [];
  let unmatched = 0;
  for (const window of windows) {
    const t0 = benchCursor.next(window.startNs, WRITE, 'other');
    const t1 = t0 === null ? null : bridgeCursor.next(t0, DATA, 'stdin');
    const t2 = t1 === null ? null : bridgeCursor.next(t1, WRITE, 'other');
    const t3 = t2 === null ? null : benchCursor.next(t2, DATA, 'accepted');
    const t5 = t3 === null ? null : bridgeCursor.next(t3, DATA, 'other');
    const t4 = t3 === null || t5 === null ? null : benchCursor.lastBefore(t5, WRITE, 'accepted');
    const t6 = t5 === null ? null : bridgeCursor.next(t5, WRITE, 'stdout');
    const t7 = t6 === null ? null : benchCursor.next(t6, DATA, 'other');
    if (t0 === null || t1 === null || t2 === null || t3 === null || t4 === null || t5 === null) {
      unmatched++;
      continue;
    }
    if (t6 === null || t7 === null || t7 > window.endNs) {
      unmatched++;
      continue;
    }
    const bounds: Record<StepKey, [number, number]> = {
      clientSend: [window.startNs, t0],
      bridgeWakeIn: [t0, t1],
      bridgeIn: [t1, t2],
      hostWake: [t2, t3],
      host: [t3, t4],
      bridgeWakeOut: [t4, t5],
      bridgeOut: [t5, t6],
      clientWake: [t6, t7],
      clientRead: [t7, window.endNs],
    };
    const durations = {} as Record<StepKey, number>;
    const gc = {} as Record<StepKey, boolean>;
    for (const step of STEPS) {
      const [from, to] = bounds[step.key];
      durations[step.key] = (to - from) / 1e6;
      gc[step.key] = overlapsGc(step.process === 'bridge' ? bridgeSide.gcs : benchSide.gcs, from, to);
    }
    steps.push(durations);
    gcIn.push(gc);
  }
  return { steps, gcIn, unmatched };
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** The report: each step's p50/p99 over all requests, and what made the slowest 1 % slow. */
export function traceReport(windows: RequestWindow[], bench: TraceRecords, bridge: TraceRecords): string[] {
  const { steps, gcIn, unmatched } = stepsOf(windows, bench, bridge);
  if (steps.length === 0) return [`    trace: no request could be lined up (${unmatched} unmatched)`];
  const totals = steps.map((step) => STEPS.reduce((sum, { key }) => sum + step[key], 0));
  const order = totals.map((total, index) => ({ total, index })).sort((a, b) => b.total - a.total);
  const slow = order.slice(0, Math.max(1, Math.floor(steps.length / 100))).map(({ index }) => index);
  const lines = [
    `    trace: ${steps.length} requests lined up across both processes (${unmatched} not); clock: CLOCK_MONOTONIC`,
    `    ${'step'.padEnd(56)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}  slowest 1 %: mean ms, step was the largest, in a GC`,
  ];
  const largestCount = new Map<StepKey, number>();
  for (const index of slow) {
    const step = steps[index];
    if (step === undefined) continue;
    let largest: StepKey = 'clientSend';
    for (const { key } of STEPS) if (step[key] > step[largest]) largest = key;
    largestCount.set(largest, (largestCount.get(largest) ?? 0) + 1);
  }
  for (const { key, label } of STEPS) {
    const sorted = steps.map((step) => step[key]).sort((a, b) => a - b);
    const slowMean = slow.reduce((sum, index) => sum + (steps[index]?.[key] ?? 0), 0) / slow.length;
    const slowGc = slow.filter((index) => gcIn[index]?.[key] === true).length;
    lines.push(
      `    ${label.padEnd(56)}${quantile(sorted, 0.5).toFixed(3).padStart(9)}${quantile(sorted, 0.99).toFixed(3).padStart(9)}  ${slowMean.toFixed(3).padStart(7)}  ${String(largestCount.get(key) ?? 0).padStart(3)}/${slow.length}  ${String(slowGc).padStart(3)}/${slow.length}`,
    );
  }
  const late = (owner: 'bench' | 'bridge', waking: boolean) =>
    slow.reduce(
      (sum, index) =>
        sum +
        STEPS.filter((step) => step.process === owner && step.waking === waking).reduce(
          (inner, { key }) => inner + (steps[index]?.[key] ?? 0),
          0,
        ),
      0,
    ) / slow.length;
  const gcText = (records: TraceRecords, startNs: number, endNs: number) => {
    const pauses = split(records).gcs.filter((gc) => gc.start >= startNs && gc.start <= endNs);
    const longest = pauses.reduce((max, gc) => Math.max(max, gc.end - gc.start), 0) / 1e6;
    return `${pauses.length} (longest ${longest.toFixed(1)} ms)`;
  };
  const firstNs = windows[0]?.startNs ?? 0;
  const lastNs = windows[windows.length - 1]?.endNs ?? 0;
  lines.push(
    `    GC pauses while measuring: bench process ${gcText(bench, firstNs, lastNs)}, bridge ${gcText(bridge, firstNs, lastNs)}`,
  );
  lines.push(
    `    slowest 1 % (${slow.length}), mean ms: bench process waking ${late('bench', true).toFixed(3)}, working ${late('bench', false).toFixed(3)}; bridge waking ${late('bridge', true).toFixed(3)}, working ${late('bridge', false).toFixed(3)}`,
  );
  return lines;
}
