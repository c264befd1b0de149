import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { acquireHostLock, HostLockedError } from '../../../src/main/host/host-lock.js';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'overseer-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('host lock', () => {
  it('lets one host own a data directory and frees it on release', () => {
    const dir = tempDir();
    const release = acquireHostLock(dir, 'browser');
    expect(existsSync(join(dir, 'host.lock'))).toBe(true);
    release();
    expect(existsSync(join(dir, 'host.lock'))).toBe(false);
    acquireHostLock(dir, 'cli')();
  });

  it('refuses a second host while the first one lives, naming it', async () => {
    const dir = tempDir();
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'host.lock'), JSON.stringify({ pid: holder.pid, startTime: null, mode: 'browser' }));
      expect(() => acquireHostLock(dir, 'cli')).toThrow(HostLockedError);
      expect(() => acquireHostLock(dir, 'cli')).toThrow(new RegExp(`browser, pid ${holder.pid}`));
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
    }
    // The holder is gone: its lock is stale and taken over.
    acquireHostLock(dir, 'cli')();
  });

  it('takes over an unreadable lock file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'host.lock'), 'garbage');
    acquireHostLock(dir, 'cli')();
  });
});
