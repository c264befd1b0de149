// Running a shell-command acceptance check: `/bin/sh -c` in its own process group with the workspace as
// cwd, both pipes drained while it runs (the first bytes kept for the stdout regex, the last bytes kept
// as evidence), the group killed on timeout, on cancel and when the command ends (background leftovers).
import { spawn } from 'node:child_process';
import { errorText } from '../error-text.js';

export interface ShellRun {
  exitCode: number | null;
  signal: string | null;
  /** The first capBytes of stdout. */
  stdout: string;
  stdoutTail: string;
  stderrTail: string;
  timedOut: boolean;
  cancelled: boolean;
  spawnError: string | null;
}

/** Runs `/bin/sh -c command` in its own process group; both pipes are drained while it runs. */
export function runShellCommand(
  command: string,
  cwd: string,
  options: {
    timeoutMs: number;
    capBytes: number;
    tailBytes: number;
    env: NodeJS.ProcessEnv;
    signal?: AbortSignal | undefined;
  },
): Promise<ShellRun> {
  return new Promise((resolvePromise) => {
    const stdout = new CappedCapture(options.capBytes, options.tailBytes);
    const stderr = new CappedCapture(options.capBytes, options.tailBytes);
    let timedOut = false;
    let cancelled = false;
    let settled = false;
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      killGroup();
    };
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const finish = (exitCode: number | null, signal: string | null, spawnError: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      killGroup(); // leftovers the command started in the background
      resolvePromise({
        exitCode,
        signal,
        stdout: stdout.head(),
        stdoutTail: stdout.tail(),
        stderrTail: stderr.tail(),
        timedOut,
        cancelled,
        spawnError,
      });
    };
    child.on('error', (error) => finish(null, null, errorText(error)));
    child.on('exit', (code, signal) => {
      // Give the pipes a moment to drain; a background grandchild may hold them open.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal, null);
      }, 1000);
      child.on('close', () => {
        clearTimeout(drain);
        finish(code, signal, null);
      });
    });
  });
}

/** Keeps the first `capBytes` and the last `tailBytes` of a stream. */
class CappedCapture {
  private readonly headChunks: Buffer[] = [];
  private headSize = 0;
  private tailBuffer: Buffer = Buffer.alloc(0);

  constructor(
    private readonly capBytes: number,
    private readonly tailLimit: number,
  ) {}

  push(chunk: Buffer): void {
    if (this.headSize < this.capBytes) {
      const part = chunk.subarray(0, this.capBytes - this.headSize);
      this.headChunks.push(part);
      this.headSize += part.length;
    }
    const joined = Buffer.concat([this.tailBuffer, chunk]);
    this.tailBuffer = joined.length > this.tailLimit ? joined.subarray(joined.length - this.tailLimit) : joined;
  }

  head(): string {
    return Buffer.concat(this.headChunks).toString('utf8');
  }

  tail(): string {
    return this.tailBuffer.toString('utf8').replace(/^\uFFFD+/, '');
  }
}

/** The last `limit` bytes of a text, cut at a character boundary. */
export function tailBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  return bytes
    .subarray(bytes.length - limit)
    .toString('utf8')
    .replace(/^\uFFFD+/, '');
}
