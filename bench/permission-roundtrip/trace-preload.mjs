// Tracing for bench/permission-roundtrip (`--trace`): records, in the process it is loaded into, when
// each socket or pipe of that process delivered bytes ('data') and when our code wrote bytes
// (`write`), and every garbage collection, on CLOCK_MONOTONIC (process.hrtime), which is one clock for
// every process of the machine: so the bench can line the bridge's events up with its own and say, per
// request, which process was late. Plain JavaScript so it loads with `node --import` into the built
// bridge unchanged. Loaded into the bridge with PERMISSION_TRACE_OUT set, it writes its records there
// as JSON when the process exits; the bench calls installTrace() for its own process.
//
// Each record is [time ns since the first record's epoch, kind, socket role]; kinds: 0 data, 1 write,
// 2 GC start (with its duration in ns as a fourth field). Roles: 'stdin', 'stdout', 'accepted' (a connection a server
// of this process accepted), 'other' (the bridge's host connection; in the bench, the bridge's pipes).
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { performance, PerformanceObserver } from 'node:perf_hooks';

/** A monotonic clock in ns as a Number (exact for ~104 days of uptime). */
const nowNs = () => Number(process.hrtime.bigint());

function roleOf(socket) {
  if (socket === process.stdin) return 'stdin';
  if (socket === process.stdout) return 'stdout';
  return socket.server ? 'accepted' : 'other';
}

/**
 * Starts recording in this process; returns the records so far (live) and a stop function. Records
 * are kept in one array of small arrays: a few thousand per run.
 */
export function installTrace() {
  const records = [];
  const proto = net.Socket.prototype;
  const originalEmit = proto.emit;
  const originalWrite = proto.write;
  proto.emit = function tracedEmit(event, ...args) {
    if (event === 'data') records.push([nowNs(), 0, roleOf(this)]);
    return originalEmit.call(this, event, ...args);
  };
  proto.write = function tracedWrite(...args) {
    records.push([nowNs(), 1, roleOf(this)]);
    return originalWrite.apply(this, args);
  };
  // performance.now() and process.hrtime are both monotonic: one offset converts a GC entry's start.
  const offsetNs = nowNs() - performance.now() * 1e6;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      records.push([Math.round(offsetNs + entry.startTime * 1e6), 2, 'gc', Math.round(entry.duration * 1e6)]);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    records,
    stop() {
      observer.disconnect();
      proto.emit = originalEmit;
      proto.write = originalWrite;
    },
  };
}

const out = process.env['PERMISSION_TRACE_OUT'];
if (out !== undefined && out !== '') {
  const trace = installTrace();
  process.on('exit', () => {
    try {
      writeFileSync(out, JSON.stringify(trace.records));
    } catch {
      // tracing must never change how the process ends
    }
  });
}
