// Where the timeline bench's time goes: opens a seeded goal in Chromium (browser mode, the built
// console) with the CDP sampling profiler on, and prints the functions with the most self time in
// each phase: the cold open (navigation -> first rendered entries), paging the whole history in,
// and scrolling the fully loaded history. For finding causes, not for figures (bench/timeline/run.ts).
// Build first (npx electron-vite build). Run: node --import tsx bench/timeline/profile.ts [events=100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type CDPSession } from '@playwright/test';
import { serveConsole } from '../../tests/helpers/serve.js';
import { seedTimeline } from '../../tests/helpers/seed-timeline.js';
import { loadEverything } from './page-measures.js';

declare const document: { querySelector(selector: string): unknown };
declare class HTMLElement {
  scrollTop: number;
  scrollHeight: number;
}
declare function requestAnimationFrame(callback: (time: number) => void): number;

const count = Number(process.argv[2] ?? 100_000);
const CHROMIUM = process.env['OVERSEER_CHROMIUM'] ?? '/usr/bin/chromium';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

/** Self time (ms) per function, the top `top` of them, from a CDP CPU profile. */
function topSelf(profile: CpuProfile, top = 18): string[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1);
    if (node === undefined) continue;
    const frame = node.callFrame;
    const file = frame.url.split('/').pop() ?? '';
    const label = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    self.set(label, (self.get(label) ?? 0) + (deltas[i] ?? 0) / 1000);
  }
  const total = (profile.endTime - profile.startTime) / 1000;
  return [
    `  total ${total.toFixed(0)} ms`,
    ...[...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${label}`),
  ];
}

async function profiled(cdp: CDPSession, label: string, work: () => Promise<void>): Promise<void> {
  await cdp.send('Profiler.start');
  await work();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  console.log(`\n${label}`);
  for (const line of topSelf(profile)) console.log(line);
}

const dataDir = mkdtempSync(join(tmpdir(), 'overseer-bench-timeline-profile-'));
const seeded = seedTimeline(dataDir, count);
const served = await serveConsole({ dataDir });
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await profiled(cdp, `cold open of a ${count}-event goal (navigation -> first rows)`, async () => {
    await page.goto(`${served.url}#/goal/${seeded.goalId}`);
    await page.locator('[data-testid=timeline-row]').first().waitFor({ timeout: 60_000 });
  });
  await page.getByText(seeded.lastText).first().waitFor();
  await profiled(cdp, 'paging the whole history in', async () => {
    const { ms } = await loadEverything(page);
    console.log(`\n(paged in ${ms.toFixed(0)} ms)`);
  });
  await page.evaluate(() => {
    const element = document.querySelector('[data-testid=timeline-scroll]');
    if (element instanceof HTMLElement) element.scrollTop = element.scrollHeight / 2;
  });
  await page.waitForTimeout(300);
  await profiled(cdp, 'scrolling the full history (300 frames of 160 px)', async () => {
    await page.evaluate(async () => {
      const element = document.querySelector('[data-testid=timeline-scroll]');
      if (!(element instanceof HTMLElement)) return;
      for (let i = 0; i < 300; i++) {
        element.scrollTop += 160;
        await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      }
    });
  });
} finally {
  await browser.close();
  await served.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
