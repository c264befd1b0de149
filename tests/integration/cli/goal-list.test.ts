// `overseer goals` past the list's default size: it says how many goals it left out, --limit and
// --all change the size, bad values are refused, --status lists the goals in a status however old;
// and a command sent to a running console still finds a goal older than the newest 500 by the start
// of its id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { runCli } from '../../helpers/run-cli.js';
import { seedGoals } from '../../helpers/many-goals.js';
import { consoleDuringSuite } from '../../helpers/console-during.js';
import type { Goal } from '../../../src/shared/domain/goal.js';

const COUNT = 502;
/** Interrupted: one older than the newest 500, one among them. The rest are done. */
const INTERRUPTED = [1, 5];
let root: string;
let dataDir: string;
let goals: Goal[];
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-goal-list-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  goals = seedGoals(dataDir, COUNT, (index) => (INTERRUPTED.includes(index) ? 'interrupted' : 'done'));
  env = { ...process.env, OVERSEER_HOME: dataDir };
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const Listed = z.array(z.object({ id: z.string() }).loose());
const oldest = (): Goal => goals[0]!;
const newest = (): Goal => goals[COUNT - 1]!;

describe('overseer goals with more goals than a list holds', () => {
  it('lists the newest 500 and says how many it left out', async () => {
    const run = await runCli(['goals'], env);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1 + 500 + 1);
    expect(lines[1]).toContain(newest().id.slice(0, 8));
    expect(run.stdout).not.toContain(oldest().id.slice(0, 8));
    expect(lines.at(-1)).toBe(
      `Showing the newest 500 of ${COUNT} goals (--all lists every one, --limit N the newest N).`,
    );
  });

  it('--all lists every goal and leaves the line out', async () => {
    const run = await runCli(['goals', '--all'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1 + COUNT);
    expect(run.stdout).toContain(oldest().id.slice(0, 8));
    expect(run.stdout).not.toContain('Showing the newest');
  });

  it('--limit with --json: the list alone on stdout, the line on stderr', async () => {
    const run = await runCli(['goals', '--limit', '2', '--json'], env);
    expect(run.code).toBe(0);
    expect(Listed.parse(JSON.parse(run.stdout)).map((goal) => goal.id)).toEqual([newest().id, goals[COUNT - 2]!.id]);
    expect(run.stderr).toContain(`Showing the newest 2 of ${COUNT} goals`);
  });

  it('refuses a limit out of range, or with --all', async () => {
    for (const value of ['0', '-1', '100001', 'ten']) {
      const run = await runCli(['goals', `--limit=${value}`], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('--limit must be a whole number of goals from 1 to 100000');
    }
    const both = await runCli(['goals', '--limit', '3', '--all'], env);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give --limit or --all, not both');
  });

  it('--status lists every goal in the statuses, however old, and counts them', async () => {
    const run = await runCli(['goals', '--status', 'interrupted', '--json'], env);
    expect(run.code).toBe(0);
    expect(Listed.parse(JSON.parse(run.stdout)).map((goal) => goal.id)).toEqual([goals[5]!.id, goals[1]!.id]);
    expect(run.stderr).toBe('');
    const one = await runCli(['goals', '--status', 'interrupted,failed', '--limit', '1'], env);
    expect(one.code).toBe(0);
    expect(one.stdout.trim().split('\n').at(-1)).toBe(
      'Showing the newest 1 of 2 interrupted or failed goals (--all lists every one, --limit N the newest N).',
    );
    const none = await runCli(['goals', '--status', 'running'], env);
    expect(none.stdout.trim()).toBe('No running goals.');
    for (const value of ['', 'stopped', 'done,nope']) {
      const refused = await runCli(['goals', `--status=${value}`], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('--status takes one or more of pending, queued, running');
    }
  });

  describe('with a console running', () => {
    consoleDuringSuite(() => dataDir);

    it('a command finds the oldest goal by the start of its id', async () => {
      const run = await runCli(['pause', oldest().id.slice(0, 8)], env);
      // It reached the goal: the host refuses to pause a goal that has ended.
      expect(run.stderr).not.toContain('no goal whose id starts with');
      expect(run.stderr).toMatch(/overseer pause: .*(done|ended|not running|cannot)/i);
      expect(run.code).toBe(1);
    });
  });
});
