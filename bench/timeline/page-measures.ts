// What the timeline bench reads from the open page: frame times while scrolling (requestAnimationFrame
// deltas) and their percentiles, the page's JS heap and DOM size, the timeline's loaded and total event
// counts, and paging the whole history in by scrolling to the top.
import type { CDPSession, Page } from '@playwright/test';

// Browser globals the page.evaluate callbacks use (this file is typechecked with Node's libs only).
declare const document: { querySelector(selector: string): unknown };
declare function requestAnimationFrame(callback: (time: number) => void): number;
declare class HTMLElement {
  scrollTop: number;
  scrollHeight: number;
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

export async function loadedCounts(page: Page): Promise<{ loaded: number; total: number }> {
  const text = (await page.getByRole('status', { name: 'Timeline status' }).textContent()) ?? '';
  const match = /([\d,]+) of ([\d,]+) events loaded/.exec(text);
  return {
    loaded: Number((match?.[1] ?? '0').replace(/,/g, '')),
    total: Number((match?.[2] ?? '0').replace(/,/g, '')),
  };
}

/** Scrolls to the top until every event is loaded (or the budget runs out); returns the time it took. */
export async function loadEverything(page: Page): Promise<number> {
  const started = Date.now();
  for (;;) {
    const { loaded, total } = await loadedCounts(page);
    if (total > 0 && loaded >= total) return Date.now() - started;
    if (Date.now() - started > FULL_LOAD_BUDGET_MS) return Number.NaN;
    await page.evaluate(() => {
      const element = document.querySelector('[data-testid=timeline-scroll]');
      if (element instanceof HTMLElement) element.scrollTop = 0;
    });
    await page.waitForTimeout(30);
  }
}
