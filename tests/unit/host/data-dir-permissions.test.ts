// Permissions of the data directory and the database: folders Overseer creates are 0700, an
// existing folder keeps its mode (a warning when others can reach it, never a chmod), and the
// SQLite database with its -wal and -shm files is 0600 whatever the umask.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePrivateDir, prepareDataDir } from '../../../src/main/paths.js';
import { openDatabase } from '../../../src/main/store/database.js';

const modeOf = (path: string): number => statSync(path).mode & 0o7777;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-perm-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('data directory permissions', () => {
  it('keeps an existing 0755 OVERSEER_HOME at 0755 and warns; its new subfolders are 0700', () => {
    const home = join(root, 'shared');
    mkdirSync(home);
    chmodSync(home, 0o755);
    const warnings: string[] = [];
    const paths = prepareDataDir(home, (message) => warnings.push(message));
    expect(modeOf(home)).toBe(0o755);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(home);
    expect(warnings[0]).toContain('0755');
    for (const dir of [paths.runtimeDir, paths.worktreesDir, paths.goalsDir]) expect(modeOf(dir)).toBe(0o700);
  });

  it('creates a new data directory (and missing parents) 0700 even under a permissive umask, without a warning', () => {
    const previous = process.umask(0o000);
    try {
      const home = join(root, 'a', 'b', 'overseer');
      const warnings: string[] = [];
      prepareDataDir(home, (message) => warnings.push(message));
      expect(modeOf(join(root, 'a'))).toBe(0o700);
      expect(modeOf(join(root, 'a', 'b'))).toBe(0o700);
      expect(modeOf(home)).toBe(0o700);
      expect(warnings).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it('says nothing about an existing private folder and never changes a sticky shared one', () => {
    const privateDir = join(root, 'private');
    mkdirSync(privateDir, { mode: 0o700 });
    chmodSync(privateDir, 0o700);
    const shared = join(root, 'tmp-like');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const warnings: string[] = [];
    ensurePrivateDir(privateDir, (message) => warnings.push(message));
    expect(warnings).toEqual([]);
    ensurePrivateDir(shared, (message) => warnings.push(message));
    expect(modeOf(shared)).toBe(0o1777);
    expect(warnings).toHaveLength(1);
  });
});

describe('database file permissions', () => {
  it('creates the database, its WAL and its SHM 0600 under a permissive umask', () => {
    const previous = process.umask(0o000);
    const path = join(root, 'overseer.db');
    try {
      const db = openDatabase(path);
      try {
        db.exec('CREATE TABLE IF NOT EXISTS t (x INTEGER)');
        db.prepare('INSERT INTO t (x) VALUES (1)').run();
        expect(existsSync(`${path}-wal`)).toBe(true);
        expect(existsSync(`${path}-shm`)).toBe(true);
        expect([modeOf(path), modeOf(`${path}-wal`), modeOf(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      } finally {
        db.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  it('opens an existing database without touching its mode', () => {
    const path = join(root, 'overseer.db');
    openDatabase(path).close();
    chmodSync(path, 0o640);
    openDatabase(path).close();
    expect(modeOf(path)).toBe(0o640);
  });
});
