// Checkpoints the database's write-ahead log (WAL) off the host's event loop. By default SQLite
// checkpoints inside whichever commit pushes the WAL past 1000 pages: that commit then copies the WAL
// into the database file and syncs both, which on a busy disk takes milliseconds to tens of them. When
// that commit is a permission decision's record, the prompt waits for it (the record must be written
// before the answer leaves). So the host's connection turns automatic checkpoints off, and a worker
// thread with its own connection runs a PASSIVE checkpoint (it never blocks the writer, and gives up
// on pages a reader still needs; the next one catches up) shortly after writes: every `intervalMs` the
// host's thread asks SQLite's total_changes() (a counter, microseconds) and, when it moved, wakes the
// worker. The worker starts on the first write, so a process that only reads starts none.
//
// Durability is unchanged: synchronous stays NORMAL (database.ts), so a commit is in the WAL, safe from
// a crash of the host, when it returns; the checkpoint's syncs only move those pages into the main file.
// If the worker cannot start or fails, automatic checkpoints are turned back on and the error is
// reported: the WAL never grows without bound.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Database } from './database.js';
import type { ErrorReporter } from './write-queue.js';

/** SQLite's own default for wal_autocheckpoint, restored when the worker is not available. */
export const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

/** How often the host's thread looks for new writes (ms) by default. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 500;

/** What `PRAGMA wal_checkpoint` answers: busy 1 when it could not finish; WAL frames and frames copied. */
export const CheckpointResultSchema = z.object({
  busy: z.number().int(),
  log: z.number().int(),
  checkpointed: z.number().int(),
});
export type CheckpointResult = z.infer<typeof CheckpointResultSchema>;

const WorkerAnswerSchema = z.union([
  z.object({ ok: z.literal(true), result: CheckpointResultSchema }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);

/**
 * The worker's code (CommonJS, run from a string so the build needs no extra entry): one connection,
 * one PASSIVE checkpoint per message. busy_timeout 0: a checkpoint never waits for a lock.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const db = new Database(workerData.path, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
db.pragma('busy_timeout = 0');
parentPort.on('message', () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, result });
  } catch (error) {
    parentPort.postMessage({ ok: false, message: String(error && error.message ? error.message : error) });
  }
});
`;

export interface WalCheckpointerOptions {
  /** The database file the connection has open (the worker opens its own connection to it). */
  path: string;
  /** better-sqlite3's compiled binding, as the host's connection was opened with (Electron). */
  nativeBinding?: string | undefined;
  report: ErrorReporter;
  intervalMs?: number;
  /** The better-sqlite3 module the worker loads (default: the one this process resolves; tests). */
  modulePath?: string;
  /** Called after each checkpoint the worker ran (tests, diagnostics). */
  onCheckpoint?: (result: CheckpointResult) => void;
}

function defaultModulePath(): string {
  return createRequire(import.meta.url).resolve('better-sqlite3');
}

export class WalCheckpointer {
  private worker: Worker | null = null;
  private readonly timer: NodeJS.Timeout;
  private readonly totalChanges;
  private lastChanges: number;
  private inFlight = false;
  private again = false;
  private stopped = false;
  private failed = false;
  /** Checkpoints the worker has run. */
  checkpoints = 0;

  constructor(
    private readonly db: Database,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.totalChanges = db.prepare('SELECT total_changes()').pluck();
    this.lastChanges = this.readChanges();
    db.pragma('wal_autocheckpoint = 0');
    this.timer = setInterval(() => this.poll(), options.intervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS);
    this.timer.unref();
  }

  /** False once the worker failed and SQLite's automatic checkpoints are back on. */
  get inBackground(): boolean {
    return !this.failed;
  }

  /** Stops the timer and the worker; the connection keeps whatever wal_autocheckpoint it has. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.timer);
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) void worker.terminate();
  }

  private readChanges(): number {
    return z.number().int().parse(this.totalChanges.get());
  }

  /** Asks for a checkpoint when the connection wrote since the last look. */
  private poll(): void {
    if (this.stopped || this.failed || !this.db.open) return;
    let changes: number;
    try {
      changes = this.readChanges();
    } catch (error) {
      this.options.report(error, 'reading total_changes for the WAL checkpointer');
      return;
    }
    if (changes === this.lastChanges) return;
    this.lastChanges = changes;
    this.request();
  }

  private request(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const worker = this.worker ?? this.start();
    if (worker === null) return;
    this.inFlight = true;
    worker.postMessage('checkpoint');
  }

  private start(): Worker | null {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          modulePath: this.options.modulePath ?? defaultModulePath(),
          path: this.options.path,
          nativeBinding: this.options.nativeBinding ?? null,
        },
      });
    } catch (error) {
      this.fail(error);
      return null;
    }
    worker.unref();
    worker.on('message', (message: unknown) => this.onAnswer(message));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (!this.stopped && this.worker === worker) this.fail(new Error(`the checkpoint worker exited (${code})`));
    });
    this.worker = worker;
    return worker;
  }

  private onAnswer(message: unknown): void {
    this.inFlight = false;
    const answer = WorkerAnswerSchema.safeParse(message);
    if (!answer.success) {
      this.options.report(answer.error, 'reading the checkpoint worker answer');
    } else if (!answer.data.ok) {
      // A failed checkpoint (I/O, a lock) is retried with the next write; the WAL keeps everything.
      this.options.report(new Error(answer.data.message), 'checkpointing the WAL');
    } else {
      this.checkpoints++;
      this.options.onCheckpoint?.(answer.data.result);
    }
    if (this.again && !this.stopped) {
      this.again = false;
      this.request();
    }
  }

  /** The worker is gone: SQLite checkpoints inline again, as it does by default. */
  private fail(error: unknown): void {
    if (this.failed || this.stopped) return;
    this.failed = true;
    this.inFlight = false;
    clearInterval(this.timer);
    const worker = this.worker;
    this.worker = null;
    if (worker !== null) void worker.terminate();
    this.options.report(error, 'the WAL checkpoint worker failed; SQLite checkpoints on commit again');
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}

/** Starts a WalCheckpointer when `db` is a file in WAL mode; null otherwise (':memory:'). */
export function startWalCheckpointer(db: Database, options: WalCheckpointerOptions): WalCheckpointer | null {
  const mode: unknown = db.pragma('journal_mode', { simple: true });
  if (mode !== 'wal') return null;
  return new WalCheckpointer(db, options);
}
