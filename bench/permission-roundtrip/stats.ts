// What each phase's figures are made of: the measuring loops (this process's: times, CPU per request, each
// request's window for the trace; a client process's: times and its CPU), percentiles, CPU clocks (this process's, another's from /proc), a main
// thread's run-queue wait, garbage collections in this process, and the lines that print them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import type { RequestWindow } from './trace-analysis.js';

interface Stats {
  p50: number;
  p99: number;
  mean: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** A CPU clock in ms: user + system time of some process so far, or null when it cannot be read. */
type CpuClock = () => number | null;

export const thisProcessCpu: CpuClock = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** Another process's CPU clock, from /proc/<pid>/stat (utime + stime); null off Linux. */
export function processCpu(pid: number | null): CpuClock {
  const ticks = clockTicksPerSecond();
  return () => {
    if (pid === null) return null;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticks;
    } catch {
      return null;
    }
  };
}

/**
 * A process's main thread (its event loop): time spent runnable but not running (waiting for a CPU),
 * in ms, from /proc/<pid>/schedstat (its second field, ns); null off Linux.
 */
export function runQueueWait(pid: number | null): CpuClock {
  return () => {
    if (pid === null) return null;
    try {
      return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
    } catch {
      return null;
    }
  };
}

interface Measured extends Stats {
  /** CPU µs per request of each clock given, over the measured requests (null: not readable). */
  cpuUs: (number | null)[];
}

/** Each measured request's start and end on the monotonic clock (ns), for the trace. */
export let lastWindows: RequestWindow[] = [];
const monotonicNs = () => Number(process.hrtime.bigint());

export async function measure(
  count: number,
  warmup: number,
  once: (i: number) => Promise<void>,
  clocks: CpuClock[] = [],
): Promise<Measured> {
  for (let i = 0; i < warmup; i++) await once(i);
  const samples: number[] = [];
  const windows: RequestWindow[] = [];
  const before = clocks.map((clock) => clock());
  for (let i = 0; i < count; i++) {
    const startNs = monotonicNs();
    const started = performance.now();
    await once(warmup + i);
    samples.push(performance.now() - started);
    windows.push({ startNs, endNs: monotonicNs() });
  }
  lastWindows = windows;
  const cpuUs = clocks.map((clock, index) => {
    const start = before[index];
    const end = clock();
    return start === null || start === undefined || end === null ? null : ((end - start) * 1000) / count;
  });
  return { ...stats(samples), cpuUs };
}

/** Run-queue wait per request (clocks 3 and 4 of a bridge run): time runnable but not given a CPU. */
/**
 * The measuring loop of a client process of its own: `once` runs `warmup` times, then `requests` times one
 * after another; each measured request's time (ms) and this process's CPU per request (µs).
 */
export async function clientSamples(
  requests: number,
  warmup: number,
  once: (i: number) => Promise<void>,
): Promise<{ samples: number[]; cpuUsPerRequest: number }> {
  for (let i = 0; i < warmup; i++) await once(i);
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await once(warmup + i);
    samples.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { samples, cpuUsPerRequest: (cpu.user + cpu.system) / requests };
}

export function waitText(measured: Measured): string {
  const us = (value: number | null | undefined) =>
    value === null || value === undefined ? 'n/a' : `${value.toFixed(0)} µs`;
  return `event loop thread waiting for a CPU, per request (run queue, /proc schedstat): bridge ${us(measured.cpuUs[2])}, this process ${us(measured.cpuUs[3])}`;
}

export function format(label: string, s: Stats): string {
  return `  ${label.padEnd(62)} p50 ${s.p50.toFixed(3).padStart(8)} ms   p99 ${s.p99.toFixed(3).padStart(8)} ms   mean ${s.mean.toFixed(3).padStart(8)} ms`;
}

/** Garbage collections in this process while a phase runs: how many, and their total pause. */
export class GcCounter {
  count = 0;
  totalMs = 0;
  maxMs = 0;
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      this.count++;
      this.totalMs += entry.duration;
      this.maxMs = Math.max(this.maxMs, entry.duration);
    }
  });
  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }
  /** Stops counting; what was counted so far stays. */
  stop(): string {
    this.observer.disconnect();
    return `${this.count} GCs in this process, ${this.totalMs.toFixed(1)} ms in all, longest ${this.maxMs.toFixed(1)} ms`;
  }
}
