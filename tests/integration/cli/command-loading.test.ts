// The built `overseer` CLI loads what a command uses, no more: each subcommand is imported when it
// runs, `overseer goals` reads the database without the host, and a command sent to a running console
// leaves the host's own modules unloaded. Recorded with a module resolve hook (record-packages.mjs)
// in the real built CLI; a static import of the host from one of these commands fails this test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli, serveConsole } from '../../helpers/serve.js';
import { consoleDuringSuite } from '../../helpers/console-during.js';
import { runCli } from '../../helpers/run-cli.js';
import { seedTimeline, type SeededGoal } from '../../helpers/seed-timeline.js';

const RECORDER = new URL('../../helpers/record-packages.mjs', import.meta.url).pathname;
/** What only the host needs: git and the driver's processes. */
const HOST_ONLY = ['simple-git', 'execa'];

let root: string;
let dataDir: string;
let seeded: SeededGoal;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-loading-'));
  dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  seeded = seedTimeline(dataDir, 40, 'A goal for the loading test');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the built CLI with the recorder; returns its run and the packages it imported. */
async function packagesOf(args: string[]): Promise<{ code: number | null; stdout: string; packages: Set<string> }> {
  const record = join(root, `packages-${args[0] ?? 'none'}-${Date.now()}.txt`);
  writeFileSync(record, '');
  const run = await runCli(
    args,
    { ...process.env, OVERSEER_HOME: dataDir, OVERSEER_RECORD_PACKAGES: record, NODE_OPTIONS: `--import=${RECORDER}` },
    builtCli,
  );
  const packages = new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean));
  return { code: run.code, stdout: run.stdout, packages };
}

describe('what a command of the built CLI loads', () => {
  it('prints its version without loading any package', async () => {
    const run = await packagesOf(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect([...run.packages]).toEqual([]);
  });

  it('lists goals from the database with SQLite and zod, without the host', async () => {
    const run = await packagesOf(['goals', '--json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(seeded.goalId);
    expect(run.packages).toContain('better-sqlite3');
    expect(run.packages).toContain('zod');
    for (const name of [...HOST_ONLY, 'ws']) expect(run.packages).not.toContain(name);
  });

  it('serves the console without execa, which only a Claude process or a pull request needs', async () => {
    const record = join(root, 'packages-serve.txt');
    writeFileSync(record, '');
    const served = await serveConsole({
      dataDir: join(root, 'serve-data'),
      env: { OVERSEER_RECORD_PACKAGES: record, NODE_OPTIONS: `--import=${RECORDER}` },
    });
    try {
      const packages = new Set(readFileSync(record, 'utf8').split('\n').filter(Boolean));
      // The host itself is up: its database, socket server and contract are loaded.
      for (const name of ['better-sqlite3', 'ws', 'zod']) expect(packages).toContain(name);
      expect(packages).not.toContain('execa');
    } finally {
      await served.stop();
    }
  });

  describe('with a console running', () => {
    consoleDuringSuite(() => dataDir);

    it('sends a command over the console socket without loading the host or the database', async () => {
      const run = await packagesOf(['pause', seeded.goalId.slice(0, 8)]);
      // The seeded goal has ended: the running console refuses to pause it, which is its answer.
      expect(run.code).toBe(1);
      expect(run.packages).toContain('ws');
      for (const name of [...HOST_ONLY, 'better-sqlite3']) expect(run.packages).not.toContain(name);
    });
  });
});
