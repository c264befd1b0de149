// Opening the database: pragmas (WAL, synchronous=NORMAL, foreign keys, busy timeout) and the
// forward-only migrations, applied in one transaction and tracked with PRAGMA user_version. A
// database written by a newer Overseer is refused with a clear error, never downgraded. A new
// database file is created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the
// database file's permissions, so all three stay private to the user.
import { closeSync, constants, openSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { MIGRATIONS, type Migration } from './migrations.js';
import { currentSqliteNativeBinding } from './sqlite-binding.js';

export type Database = BetterSqlite3.Database;

export interface OpenDatabaseOptions {
  /** Migrations to apply (tests pass a prefix to build an older database). Defaults to all of them. */
  migrations?: readonly Migration[];
  /** How long a statement waits for another connection's lock. */
  busyTimeoutMs?: number;
  /** The compiled better-sqlite3 binding to load (default: chosen for this runtime, see sqlite-binding.ts). */
  nativeBinding?: string;
}

export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly knownVersion: number,
  ) {
    super(
      `database schema v${databaseVersion} is newer than this Overseer (knows up to v${knownVersion}); ` +
        'upgrade Overseer or point OVERSEER_HOME elsewhere',
    );
    this.name = 'SchemaTooNewError';
  }
}

const UserVersionSchema = z.number().int().nonnegative();

export function schemaVersion(db: Database): number {
  return UserVersionSchema.parse(db.pragma('user_version', { simple: true }));
}

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = latestVersion(MIGRATIONS);

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : (migrations[migrations.length - 1]?.version ?? 0);
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration list out of order: entry ${index} is v${migration.version} (${migration.name})`);
    }
  });
}

/**
 * Applies every migration newer than the database's user_version, all in one IMMEDIATE
 * transaction (so two processes opening at once cannot both migrate). Returns the versions applied.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkMigrationList(migrations);
  const known = latestVersion(migrations);
  const apply = db.transaction((): number[] => {
    const current = schemaVersion(db);
    if (current > known) throw new SchemaTooNewError(current, known);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
      applied.push(migration.version);
    }
    return applied;
  });
  return apply.immediate();
}

/** Permissions of a database file Overseer creates (SQLite copies them to -wal and -shm). */
export const DATABASE_FILE_MODE = 0o600;

/** Creates an empty database file with DATABASE_FILE_MODE unless the file exists (never chmods one). */
function createPrivateFile(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, DATABASE_FILE_MODE);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return;
    throw error;
  }
  closeSync(fd);
}

function isFilePath(path: string): boolean {
  return path !== ':memory:' && path !== '' && !path.startsWith('file:');
}

/** Opens (creating if needed) the database at `path` (or ':memory:') and brings its schema up to date. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  if (isFilePath(path)) createPrivateFile(path);
  const nativeBinding = options.nativeBinding ?? currentSqliteNativeBinding();
  const db = new BetterSqlite3(path, nativeBinding !== undefined ? { nativeBinding } : {});
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000))}`);
    if (path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
