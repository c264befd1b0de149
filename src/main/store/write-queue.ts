// The hot-path writer: queued writes (events, transcript lines) are committed together in one
// transaction on the next tick (setImmediate) or as soon as `maxBatch` are waiting. After a commit,
// each write's `afterCommit` runs in queue order (this is what makes an event "acknowledged").
// A write whose data is bad must catch its own error; a throw from `run` means the database is
// unhealthy: the whole batch is rolled back and kept, in order, for the next flush.
import type { Database } from './database.js';

export interface QueuedWrite {
  /** Runs inside the batch transaction. */
  run(): void;
  /** Runs after the transaction committed (listeners, acknowledgements). Must not throw. */
  afterCommit?(): void;
}

export type ErrorReporter = (error: unknown, context: string) => void;

/**
 * A store that sums up a batch's writes and records the sum once per batch (a per-goal event
 * count), instead of once per write.
 */
export interface BatchParticipant {
  /** Inside the batch transaction, after every write of the batch ran. */
  beforeCommit(): void;
  /** The batch's transaction rolled back (it is kept and run again): forget what it summed up. */
  rolledBack(): void;
}

export class WriteQueue {
  private pending: QueuedWrite[] = [];
  /** Committed batches whose afterCommit hooks have not run yet, oldest first. */
  private readonly committed: QueuedWrite[][] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private inTransaction = false;
  private notifying = false;
  private closed = false;
  private readonly participants: BatchParticipant[] = [];
  /** The one batch transaction: the queued writes, then `write`, then each participant's sums. */
  private readonly runBatchWith: <T>(batch: QueuedWrite[], write: () => T) => T;

  constructor(
    private readonly db: Database,
    private readonly maxBatch: number,
    private readonly report: ErrorReporter,
  ) {
    const runBatchWith = db.transaction((batch: QueuedWrite[], write: () => unknown) => {
      for (const queued of batch) queued.run();
      const result = write();
      for (const participant of this.participants) participant.beforeCommit();
      return result;
    });
    this.runBatchWith = <T>(batch: QueuedWrite[], write: () => T): T => runBatchWith(batch, write) as T;
  }

  /** Adds a store whose batch sums are written in every batch transaction (see BatchParticipant). */
  join(participant: BatchParticipant): void {
    this.participants.push(participant);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  enqueue(write: QueuedWrite): void {
    if (this.closed) throw new Error('store is closed');
    this.pending.push(write);
    if (this.pending.length >= this.maxBatch) this.flushQuietly();
    else this.schedule();
  }

  /** Commits everything queued now. Throws if the commit failed (the writes stay queued). */
  flush(): void {
    // Called from inside a queued write: the commit that is running covers it.
    if (this.inTransaction) return;
    this.cancelSchedule();
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        this.inTransaction = true;
        try {
          this.runBatchWith(batch, () => undefined);
        } catch (error) {
          this.keepRolledBack(batch);
          throw error;
        } finally {
          this.inTransaction = false;
        }
        this.committed.push(batch);
      }
    } finally {
      this.drainCommitted();
    }
  }

  /**
   * Commits everything queued now and then `write`, in one transaction (one commit where flush-then-write
   * takes two), and returns what `write` returned. If the transaction fails it throws: the queued writes
   * stay queued, as with flush, and `write` is not kept (its caller learns it did not happen).
   */
  flushWith<T>(write: () => T): T {
    // Called from inside a queued write: the commit that is running covers it.
    if (this.inTransaction) return write();
    this.cancelSchedule();
    const batch = this.pending;
    this.pending = [];
    this.inTransaction = true;
    let result: T;
    try {
      result = this.runBatchWith(batch, write);
    } catch (error) {
      this.keepRolledBack(batch);
      throw error;
    } finally {
      this.inTransaction = false;
      // A write queued by `write` itself (none do today) still gets its commit.
      if (this.pending.length > 0) this.schedule();
    }
    if (batch.length > 0) {
      this.committed.push(batch);
      this.drainCommitted();
    }
    return result;
  }

  /** Like flush, but a failure is reported instead of thrown (reads then see the last committed state). */
  flushQuietly(): void {
    try {
      this.flush();
    } catch (error) {
      this.report(error, 'flushing queued writes');
    }
  }

  /** Flushes and refuses further writes. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** A batch whose transaction rolled back: participants forget its sums; it is kept, first, for the next flush. */
  private keepRolledBack(batch: QueuedWrite[]): void {
    for (const participant of this.participants) participant.rolledBack();
    this.pending = batch.concat(this.pending);
  }

  private schedule(): void {
    if (this.scheduled !== null) return;
    this.scheduled = setImmediate(() => {
      this.scheduled = null;
      this.flushQuietly();
    });
  }

  private cancelSchedule(): void {
    if (this.scheduled === null) return;
    clearImmediate(this.scheduled);
    this.scheduled = null;
  }

  /** Runs afterCommit hooks in commit order; a hook that flushes again only adds to this same loop. */
  private drainCommitted(): void {
    if (this.notifying) return;
    this.notifying = true;
    try {
      for (let batch = this.committed.shift(); batch !== undefined; batch = this.committed.shift()) {
        for (const write of batch) {
          if (write.afterCommit === undefined) continue;
          try {
            write.afterCommit();
          } catch (error) {
            this.report(error, 'after-commit listener');
          }
        }
      }
    } finally {
      this.notifying = false;
    }
  }
}
