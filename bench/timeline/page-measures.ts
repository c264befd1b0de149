// What the timeline bench reads from the open page: frame times while scrolling (requestAnimationFrame
// deltas) and their percentiles, the page's JS heap and DOM size, the timeline's loaded and total event
// counts, and paging the whole history in by scrolling to the top (under Playwright, and in a plain
// Chromium nothing instruments: see plain-browser.ts).
import type { CDPSession, Page } from '@playwright/test';
import { z } from 'zod';
import { openPlainPage } from './plain-browser.js';

// Browser globals the page.evaluate callbacks use (this file is typechecked with Node's libs only).
declare const document: { querySelector(selector: string): unknown };
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare class HTMLElement {
  scrollTop: number;
  scrollHeight: number;
  textContent: string | null;
}

const FULL_LOAD_BUDGET_MS = 300_000;

export interface FrameStats {
  frames: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Frames slower than 50 ms (visible jank). */
  over50: number;
  scrolledPx: number;
}

export interface Memory {
  heapMb: number;
  domNodes: number;
  renderedRows: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function frameStats(deltas: number[], scrolledPx: number): FrameStats {
  const sorted = [...deltas].sort((a, b) => a - b);
  return {
    frames: deltas.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? 0,
    over50: deltas.filter((delta) => delta > 50).length,
    scrolledPx,
  };
}

export async function memory(page: Page, cdp: CDPSession): Promise<Memory> {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const metric = (name: string): number => metrics.find((entry) => entry.name === name)?.value ?? 0;
  return {
    heapMb: metric('JSHeapUsedSize') / 1024 / 1024,
    domNodes: metric('Nodes'),
    renderedRows: await page.locator('[data-testid=timeline-row]').count(),
  };
}

/** Scrolls the timeline by `step` px per animation frame for `frames` frames; returns the frame deltas. */
export async function scroll(page: Page, frames: number, step: number): Promise<FrameStats> {
  const answer = await page.evaluate(
    async ({ frames: count, step: px }) => {
      const element = document.querySelector('[data-testid=timeline-scroll]');
      if (!(element instanceof HTMLElement)) throw new Error('no timeline');
      // Distance the operator's scrolling covered (pages prepended meanwhile move scrollTop too: not counted).
      let moved = 0;
      const deltas: number[] = [];
      let last = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      for (let i = 0; i < count; i++) {
        const before = element.scrollTop;
        element.scrollTop += px;
        moved += Math.abs(element.scrollTop - before);
        const now = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
        deltas.push(now - last);
        last = now;
      }
      return { deltas, scrolled: Math.round(moved) };
    },
    { frames, step },
  );
  return frameStats(answer.deltas, answer.scrolled);
}

/**
 * Runs in the page: scrolls the timeline to the top every 30 ms (as an operator holding the scroll
 * bar at the top would) until every event is loaded, reading the loaded count from the timeline's
 * status line. Returns the ms it took (null past `budgetMs`) and the events then loaded.
 * Self-contained (no imports, no names from outside), so the same function runs under Playwright and
 * in the plain browser (by its source).
 */
export const pageEverythingIn = async (budgetMs: number): Promise<PagedIn> => {
  // No named functions in here: the bench's TypeScript loader wraps those in a helper the page lacks.
  const started = performance.now();
  for (;;) {
    const status = document.querySelector('[role=status][aria-label="Timeline status"]');
    const match = /([\d,]+) of ([\d,]+) events loaded/.exec(
      status instanceof HTMLElement ? (status.textContent ?? '') : '',
    );
    const loaded = Number((match?.[1] ?? '0').replace(/,/g, ''));
    const total = Number((match?.[2] ?? '0').replace(/,/g, ''));
    if (total > 0 && loaded >= total) return { ms: performance.now() - started, loaded };
    if (performance.now() - started > budgetMs) return { ms: null, loaded };
    const element = document.querySelector('[data-testid=timeline-scroll]');
    if (element instanceof HTMLElement) element.scrollTop = 0;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
};

/** Paging the whole history in: the ms it took (null: not done within the budget) and the events loaded. */
const PagedInSchema = z.object({ ms: z.number().nullable(), loaded: z.number() });
type PagedIn = z.infer<typeof PagedInSchema>;

/** Pages the whole history in under Playwright (pageEverythingIn); returns the ms (NaN past the budget) and events loaded. */
export async function loadEverything(page: Page): Promise<{ ms: number; loaded: number }> {
  const paged = PagedInSchema.parse(await page.evaluate(pageEverythingIn, FULL_LOAD_BUDGET_MS));
  return { ms: paged.ms ?? Number.NaN, loaded: paged.loaded };
}

/**
 * Runs in the page: waits until the timeline shows its first entries and `lastText` (the newest
 * event's text), then half a second more, as the Playwright run does before it measures.
 */
const timelineSettled = async (lastText: string): Promise<void> => {
  for (;;) {
    const list = document.querySelector('[data-testid=timeline-scroll]');
    if (list instanceof HTMLElement && (list.textContent ?? '').includes(lastText)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
};

/**
 * Pages the whole history in, from the first page, in a Chromium nothing instruments
 * (plain-browser.ts), `runs` times, each in a fresh profile; returns the median ms.
 */
export async function loadEverythingPlain(
  chromium: string,
  args: readonly string[],
  url: string,
  lastText: string,
  runs: number,
): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const page = await openPlainPage(chromium, url, args);
    try {
      await page.evaluate(`(${timelineSettled.toString()})(${JSON.stringify(lastText)})`);
      const paged = PagedInSchema.parse(
        await page.evaluate(`(${pageEverythingIn.toString()})(${FULL_LOAD_BUDGET_MS})`),
      );
      times.push(paged.ms ?? Number.NaN);
    } finally {
      await page.close();
    }
  }
  return percentile(
    [...times].sort((a, b) => a - b),
    50,
  );
}
