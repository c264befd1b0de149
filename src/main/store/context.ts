// What every store shares: the connection, the hot-path write queue, the clock and the error
// reporter. Stores flush the queue before other reads and writes so order is kept across stores.
import type { Database } from './database.js';
import type { ErrorReporter, WriteQueue } from './write-queue.js';

export interface StoreContext {
  readonly db: Database;
  readonly queue: WriteQueue;
  readonly now: () => Date;
  readonly report: ErrorReporter;
}

export function isoNow(ctx: StoreContext): string {
  return ctx.now().toISOString();
}

export const defaultErrorReporter: ErrorReporter = (error, context) => {
  console.error(`[overseer store] ${context}:`, error);
};
