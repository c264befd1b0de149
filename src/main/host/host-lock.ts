// One host per data directory: the database has a single writer. A lock file holds the pid and
// start time of the host that owns it; a stale lock (its process gone) is taken over.
import { openSync, writeSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { processStartTime } from '../store/index.js';

const LockSchema = z.object({ pid: z.number().int().positive(), startTime: z.string().nullable(), mode: z.string() });

export class HostLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly mode: string,
    dataDir: string,
  ) {
    super(
      `another Overseer (${mode}, pid ${pid}) is using the data directory ${dataDir}; ` +
        'stop it first, or pass another --data-dir / OVERSEER_HOME',
    );
    this.name = 'HostLockedError';
  }
}

function holderAlive(lock: z.infer<typeof LockSchema>): boolean {
  try {
    process.kill(lock.pid, 0);
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
  const now = processStartTime(lock.pid);
  return lock.startTime === null || now === null || now === lock.startTime;
}

/** Takes the data directory's lock; returns its release function. Throws HostLockedError when held. */
export function acquireHostLock(dataDir: string, mode: string): () => void {
  const file = join(dataDir, 'host.lock');
  const body = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), mode });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, body);
      closeSync(fd);
      return () => {
        try {
          const current = LockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
          if (current.success && current.data.pid === process.pid) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
      let existing: z.infer<typeof LockSchema> | null = null;
      try {
        const parsed = LockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
        existing = parsed.success ? parsed.data : null;
      } catch {
        existing = null;
      }
      if (existing !== null && existing.pid !== process.pid && holderAlive(existing))
        throw new HostLockedError(existing.pid, existing.mode, dataDir);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}
