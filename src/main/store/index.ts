// The durable stores over one SQLite database: openStores(path) opens (and migrates) it and
// returns every store sharing one connection and one hot-path write queue, plus close().
import { defaultErrorReporter, type StoreContext } from './context.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { EventLog } from './event-log.js';
import { GoalStore } from './goal-store.js';
import { SqlitePermissionRecordStore, SqliteRuleStore } from './permission-store.js';
import { recoverAtStart, resumeInfo, type RecoverySummary, type ResumeInfo } from './recovery.js';
import { SearchIndex, type SearchResults } from './search.js';
import { SqliteCompactSummaryStore, SqliteSessionBindingStore, type SessionBindingOptions } from './session-store.js';
import { SqliteSessionRewindStore } from './rewind-store.js';
import { SETTINGS, SettingsStore, type HostSettingsRegistry } from './settings-store.js';
import { LandingReader, RepositorySettingsStore } from './repository-settings-store.js';
import { TranscriptStore } from './transcript-store.js';
import { TurnStore } from './turn-store.js';
import { WriteQueue, type ErrorReporter } from './write-queue.js';
import { startWalCheckpointer } from './wal-checkpointer.js';
import { currentSqliteNativeBinding } from './sqlite-binding.js';
import type { StopOptions } from '../driver/index.js';

export interface OpenStoresOptions extends OpenDatabaseOptions {
  /** Flush as soon as this many writes are queued (default 512). */
  maxBatch?: number;
  /** Clock for timestamps (tests). */
  now?: () => Date;
  /** Where store errors that cannot be thrown go (default: console.error). */
  onError?: ErrorReporter;
  sessionBindings?: SessionBindingOptions;
  /**
   * Who checkpoints a database file's WAL: a worker thread, off the commits that prompts wait on
   * (default, see wal-checkpointer.ts), or SQLite itself inside a commit ('inline', its default).
   */
  walCheckpoints?: 'background' | 'inline';
}

export interface Stores {
  readonly db: Database;
  readonly goals: GoalStore;
  readonly events: EventLog;
  readonly turns: TurnStore;
  readonly transcripts: TranscriptStore;
  readonly permissions: SqlitePermissionRecordStore;
  readonly rules: SqliteRuleStore;
  readonly sessionBindings: SqliteSessionBindingStore;
  readonly compactSummaries: SqliteCompactSummaryStore;
  readonly sessionRewinds: SqliteSessionRewindStore;
  readonly settings: SettingsStore<HostSettingsRegistry>;
  readonly repositorySettings: RepositorySettingsStore;
  readonly landings: LandingReader;
  search(query: string, limit: number): SearchResults;
  recoverAtStart(now?: Date, options?: StopOptions): Promise<RecoverySummary>;
  resumeInfo(goalId: string): ResumeInfo | null;
  /** Commits queued writes and closes the database. Idempotent. */
  close(): void;
}

export function openStores(dbPath: string, options: OpenStoresOptions = {}): Stores {
  const db = openDatabase(dbPath, options);
  const report = options.onError ?? defaultErrorReporter;
  const checkpointer =
    options.walCheckpoints === 'inline'
      ? null
      : startWalCheckpointer(db, {
          path: dbPath,
          nativeBinding: options.nativeBinding ?? currentSqliteNativeBinding(),
          report,
        });
  const ctx: StoreContext = {
    db,
    queue: new WriteQueue(db, options.maxBatch ?? 512, report),
    now: options.now ?? (() => new Date()),
    report,
  };
  const events = new EventLog(ctx);
  const goals = new GoalStore(ctx, events);
  const transcripts = new TranscriptStore(ctx);
  const permissions = new SqlitePermissionRecordStore(ctx);
  const sessionBindings = new SqliteSessionBindingStore(ctx, options.sessionBindings);
  const searchIndex = new SearchIndex(ctx);
  const recoveryDeps = { ctx, goals, events, transcripts, permissions, sessionBindings };
  let closed = false;
  return {
    db,
    goals,
    events,
    turns: new TurnStore(ctx),
    transcripts,
    permissions,
    rules: new SqliteRuleStore(ctx),
    sessionBindings,
    compactSummaries: new SqliteCompactSummaryStore(ctx),
    sessionRewinds: new SqliteSessionRewindStore(ctx),
    settings: new SettingsStore(ctx, SETTINGS),
    repositorySettings: new RepositorySettingsStore(ctx),
    landings: new LandingReader(ctx),
    search: (query, limit) => searchIndex.search(query, limit),
    recoverAtStart: (now, stopOptions) => recoverAtStart(recoveryDeps, now, stopOptions),
    resumeInfo: (goalId) => resumeInfo(recoveryDeps, goalId),
    close() {
      if (closed) return;
      closed = true;
      checkpointer?.stop();
      try {
        ctx.queue.close();
      } finally {
        db.close();
      }
    },
  };
}

export { openDatabase, migrate, schemaVersion, SchemaTooNewError, LATEST_SCHEMA_VERSION } from './database.js';
export type { Database, OpenDatabaseOptions } from './database.js';
export { MIGRATIONS, type Migration } from './migrations.js';
export { EventLog, type StoredEvent, type EventListener, type GoalEventPage } from './event-log.js';
export { GoalStore, GoalExistsError, type GoalRecord, type GoalListRow, type GoalListOptions } from './goal-store.js';
export { TurnStore, type TurnRecord, type TurnBrief, type TurnStatus, type TurnCheckpoint } from './turn-store.js';
export { TranscriptStore, type TranscriptLine, type TranscriptPage, type ProcessRecord } from './transcript-store.js';
export { SqlitePermissionRecordStore, SqliteRuleStore, RuleExistsError } from './permission-store.js';
export { SqliteSessionBindingStore, SqliteCompactSummaryStore, type SessionBindingOptions } from './session-store.js';
export { RepositorySettingsStore, LandingReader } from './repository-settings-store.js';
export { SqliteSessionRewindStore } from './rewind-store.js';
export { SettingsStore, SETTINGS, type HostSettingsRegistry, type SettingsRegistry } from './settings-store.js';
export {
  SNIPPET_MATCH_START,
  SNIPPET_MATCH_END,
  toFtsQuery,
  type SearchResults,
  type GoalSearchHit,
  type TranscriptSearchHit,
} from './search.js';
export type { RecoverySummary, ResumeInfo, InterruptedGoal, RecoveredProcess } from './recovery.js';
export { processStartTime, stopProcess, type StopResult, type StopOptions } from '../driver/index.js';
export { searchableText } from './transcript-text.js';
export { StoreDataError } from './rows.js';
export { TERMINAL_GOAL_STATUSES, LIVE_GOAL_STATUSES } from './projections.js';
