import { spawn, execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseProcStat, readProcessTable, type ProcessInfo } from '../../../src/main/driver/process-identity.js';
import { relatedProcesses } from '../../../src/main/driver/process-tree.js';

describe('parseProcStat', () => {
  it('reads pid, ppid, group, session and start time, even with ") " in the command name', () => {
    const text = '4242 (weird) name) S 100 4242 4242 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 987654 1000 10';
    expect(parseProcStat(text)).toEqual({ pid: 4242, ppid: 100, pgid: 4242, sid: 4242, startTime: 987654 });
  });

  it('marks a zombie as exited', () => {
    const text = '77 (sleep) Z 1 77 77 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 5555 0 0';
    expect(parseProcStat(text)).toMatchObject({ pid: 77, exited: true });
  });

  it('rejects garbage', () => {
    expect(parseProcStat('nonsense')).toBeNull();
  });
});

describe.runIf(process.platform === 'linux')('readProcessTable', () => {
  it('agrees with ps on the pid, parent, group and session of this process and a child it started', async () => {
    const child = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    try {
      const pid = child.pid ?? 0;
      const table = await readProcessTable();
      const fromPs = (target: number): number[] =>
        execFileSync('ps', ['-o', 'pid=,ppid=,pgid=,sess=', '-p', String(target)], { encoding: 'utf8' })
          .trim()
          .split(/\s+/)
          .map(Number);
      for (const target of [process.pid, pid]) {
        const row = table.find((entry) => entry.pid === target);
        expect(row).toBeDefined();
        expect([row?.pid, row?.ppid, row?.pgid, row?.sid]).toEqual(fromPs(target));
      }
      expect(table.find((entry) => entry.pid === pid)).toMatchObject({ ppid: process.pid, pgid: pid, sid: pid });
      // Every process ps lists right after is either in the table or started after it was read.
      const psPids = execFileSync('ps', ['-A', '-o', 'pid='], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
      const tablePids = new Set(table.map((entry) => entry.pid));
      expect(psPids.filter((entry) => tablePids.has(entry)).length).toBeGreaterThan(psPids.length / 2);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('relatedProcesses', () => {
  const p = (pid: number, ppid: number, pgid: number, sid: number): ProcessInfo => ({
    pid,
    ppid,
    pgid,
    sid,
    startTime: null,
  });

  it('finds descendants by parent chain and by session/group led by one of them', () => {
    const table = [
      p(1, 0, 1, 1),
      p(10, 1, 10, 10), // claude (session leader)
      p(11, 10, 10, 10), // mcp bridge
      p(20, 10, 20, 20), // tool shell in its own session
      p(21, 20, 21, 20), // sleep under the tool shell, own group
      p(30, 1, 21, 20), // reparented to init but still in the tool shell's session
      p(40, 1, 40, 40), // unrelated
    ];
    expect(
      relatedProcesses(table, new Set([10]))
        .map((proc) => proc.pid)
        .sort((a, b) => a - b),
    ).toEqual([11, 20, 21, 30]);
  });
});
