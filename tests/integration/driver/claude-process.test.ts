// ClaudeTurn's process handling, with stand-in executables where the real CLI cannot show the case:
// a process that ignores SIGINT and leaves a tool shell in its own session (what Claude Code does
// when it is killed hard), a per-turn timeout, and a binary that does not exist.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ClaudeTurn, loadProcessSpawner } from '../../../src/main/driver/claude-process.js';
import { isAlive, processesMatching, uniqueSleepSeconds, waitUntil } from './support/procs.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'claude-turn-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A stubborn stand-in: ignores SIGINT, starts `sleep` in a new session (like a Bash tool shell), prints lines. */
function stubborn(seconds: string): string {
  const path = join(dir, 'stubborn.mjs');
  writeFileSync(
    path,
    `#!${process.execPath}
import { spawn } from 'node:child_process';
process.on('SIGINT', () => console.log(JSON.stringify({ type: 'system', subtype: 'ignored_sigint' })));
const child = spawn('sleep', ['${seconds}'], { detached: true, stdio: 'ignore' });
child.unref();
console.log(JSON.stringify({ type: 'system', subtype: 'init', session_id: 's-1' }));
setInterval(() => {}, 1000);
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('ClaudeTurn', () => {
  it('SIGINT first; after the grace period SIGKILL of the group and a sweep of tool shells in other sessions', async () => {
    const seconds = uniqueSleepSeconds();
    const lines: string[] = [];
    const turn = new ClaudeTurn(await loadProcessSpawner(), {
      claudeBin: stubborn(seconds),
      args: [],
      cwd: dir,
      env: process.env,
      timeoutMs: 0,
      killGraceMs: 500,
      treePollMs: 50,
      onLine: (line) => lines.push(line),
    });
    await waitUntil(
      () => processesMatching(`sleep ${seconds}`).length > 0 && lines.length > 0,
      20_000,
      'the stand-in to start',
    );
    const [sleepPid] = processesMatching(`sleep ${seconds}`);
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the tracker see it at least once
    turn.stop('cancel');
    const exit = await turn.exited;
    expect(exit.stopReason).toBe('cancel');
    expect(exit.forceKilled).toBe(true);
    expect(exit.signal).toBe('SIGKILL');
    expect(exit.leftoversKilled).toContain(sleepPid);
    expect(processesMatching(`sleep ${seconds}`)).toEqual([]);
    expect(isAlive(turn.pid ?? 0)).toBe(false);
    expect(lines).toContain('{"type":"system","subtype":"ignored_sigint"}');
  });

  it('the per-turn timeout stops the process', async () => {
    const seconds = uniqueSleepSeconds();
    const turn = new ClaudeTurn(await loadProcessSpawner(), {
      claudeBin: stubborn(seconds),
      args: [],
      cwd: dir,
      env: process.env,
      timeoutMs: 800,
      killGraceMs: 200,
      treePollMs: 50,
      onLine: () => {},
    });
    const exit = await turn.exited;
    expect(exit.stopReason).toBe('timeout');
    expect(processesMatching(`sleep ${seconds}`)).toEqual([]);
  });

  it('the timeout is an idle timeout: output keeps a turn alive past it', async () => {
    const path = join(dir, 'chatty.sh');
    writeFileSync(
      path,
      '#!/bin/sh\ni=0\nwhile [ $i -lt 40 ]; do echo "{\\"type\\":\\"tick\\",\\"i\\":$i}"; i=$((i+1)); sleep 0.2; done\n',
    );
    chmodSync(path, 0o755);
    const lines: string[] = [];
    const turn = new ClaudeTurn(await loadProcessSpawner(), {
      claudeBin: path,
      args: [],
      cwd: dir,
      env: process.env,
      timeoutMs: 4000,
      killGraceMs: 200,
      onLine: (line) => lines.push(line),
    });
    const exit = await turn.exited;
    expect(exit).toMatchObject({ exitCode: 0, stopReason: null });
    expect(lines).toHaveLength(40);
  });

  it('the idle clock does not run while the turn is held (waiting on the operator)', async () => {
    const path = join(dir, 'quiet.sh');
    writeFileSync(path, '#!/bin/sh\nsleep 3\necho \'{"type":"system","subtype":"init"}\'\n');
    chmodSync(path, 0o755);
    const turn = new ClaudeTurn(await loadProcessSpawner(), {
      claudeBin: path,
      args: [],
      cwd: dir,
      env: process.env,
      timeoutMs: 500,
      isHeld: () => true,
      killGraceMs: 200,
      onLine: () => {},
    });
    const exit = await turn.exited;
    expect(exit).toMatchObject({ exitCode: 0, stopReason: null });
  });

  it('a process that exits on SIGINT is not force-killed, and its output is read to the end', async () => {
    const path = join(dir, 'polite.sh');
    writeFileSync(
      path,
      '#!/bin/sh\ntrap \'echo "{\\"type\\":\\"result\\",\\"subtype\\":\\"error_during_execution\\"}"; exit 0\' INT\necho \'{"type":"system","subtype":"init"}\'\nwhile true; do sleep 0.05; done\n',
    );
    chmodSync(path, 0o755);
    const lines: string[] = [];
    const turn = new ClaudeTurn(await loadProcessSpawner(), {
      claudeBin: path,
      args: [],
      cwd: dir,
      env: process.env,
      timeoutMs: 0,
      killGraceMs: 20_000,
      onLine: (line) => lines.push(line),
    });
    await waitUntil(() => lines.length > 0, 20_000, 'the first line');
    turn.stop('stop_turn');
    const exit = await turn.exited;
    expect(exit).toMatchObject({ exitCode: 0, stopReason: 'stop_turn', forceKilled: false, spawnError: null });
    expect(lines.at(-1)).toBe('{"type":"result","subtype":"error_during_execution"}');
  });

  it('a missing binary is a spawn error, not a crash', async () => {
    const turn = new ClaudeTurn(await loadProcessSpawner(), {
      claudeBin: join(dir, 'no-such-claude'),
      args: ['-p', 'x'],
      cwd: dir,
      env: process.env,
      timeoutMs: 0,
      killGraceMs: 100,
      onLine: () => {},
    });
    expect(turn.pid).toBeNull();
    const exit = await turn.exited;
    expect(exit.spawnError).toMatch(/ENOENT/);
  });
});
