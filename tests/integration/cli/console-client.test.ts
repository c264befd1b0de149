// The built `overseer` CLI as a client of a running `overseer serve` (and, with no host running,
// with its own host in process): run with the real Claude Code CLI against the fake model, diff
// piped to `git apply --check` on a clean checkout of the base, logs, cancel, resume after the
// console restarted (the prompt answered by another client, as the console would), id prefixes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeModel, type FakeModel, type FakeScript } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { builtCli, serveConsole, type ServedConsole } from '../../helpers/serve.js';
import { claudeCwd, fixtureRepo } from '../host/support.js';
import { endpointFilePath, readEndpointFile } from '../../../src/main/host/endpoint-file.js';
import { connectRemote } from '../../../src/main/cli/host-client/remote.js';

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}
interface Running {
  stdout(): string;
  stderr(): string;
  done: Promise<Finished>;
}

let root: string;
let env: NodeJS.ProcessEnv;
let model: FakeModel;

function startCli(args: string[], input?: string): Running {
  const child = spawn(process.execPath, [builtCli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input ?? '');
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

const cli = (...args: string[]): Promise<Finished> => startCli(args).done;

async function until<T>(probe: () => T | null | undefined | false, what: string, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function jsonLines(text: string): { kind: string; goalId?: string; outcome?: { outcome: { kind: string } } }[] {
  // Output read while the CLI writes: only whole lines count.
  const whole = text.slice(0, text.lastIndexOf('\n') + 1);
  return whole
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { kind: string; goalId?: string; outcome?: { outcome: { kind: string } } });
}

/** `overseer diff` output must apply to a clean checkout of the goal's base; returns that checkout. */
function applyToCleanCheckout(repo: string, patch: string): string {
  const clean = mkdtempSync(join(root, 'clean-'));
  execFileSync('git', ['clone', '-q', repo, clean]);
  const file = join(root, `patch-${Date.now()}.diff`);
  writeFileSync(file, patch);
  execFileSync('git', ['apply', '--check', file], { cwd: clean });
  execFileSync('git', ['apply', file], { cwd: clean });
  return clean;
}

// Each goal writes hello.txt and a file larger than the console's per-file display cap (256 KiB), then is done.
const BIG =
  Array.from({ length: 7_000 }, (_, i) => `line ${i} of a file larger than any display cap`).join('\n') + '\n';
const script: FakeScript = (ctx) => {
  if (ctx.lastToolResults.length === 0) {
    return {
      text: 'Writing.',
      toolUses: [
        { name: 'Write', input: { file_path: `${claudeCwd(ctx)}/hello.txt`, content: 'hello\n' } },
        { name: 'Write', input: { file_path: `${claudeCwd(ctx)}/big.txt`, content: BIG } },
      ],
    };
  }
  return { text: 'Done.' };
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'overseer-cli-client-'));
  model = await startFakeModel(script);
  env = {
    ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }),
    OVERSEER_CLAUDE_BIN: claudeBin,
  };
  if (!existsSync(builtCli)) throw new Error(`build the CLI first (npx electron-vite build): ${builtCli} is missing`);
});
afterAll(async () => {
  await model?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the CLI against a running overseer serve', () => {
  let served: ServedConsole;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(root, 'data-served');
    served = await serveConsole({ dataDir, env });
  }, 120_000);
  afterAll(async () => served?.stop({ keepData: true }), 120_000);

  it(
    'publishes its endpoint in a 0600 file; run drives the goal in the console, diff applies with git apply, logs replays it',
    { timeout: 600_000 },
    async () => {
      const file = endpointFilePath(dataDir);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(readEndpointFile(dataDir)).toMatchObject({ pid: served.process.pid, mode: 'serve', token: served.token });

      const repo = fixtureRepo(root);
      const run = await cli(
        'run',
        '--repo',
        repo,
        '--goal',
        'create hello.txt',
        '--accept',
        'test -f hello.txt',
        '--permissions',
        'allow',
        '--max-turns',
        '3',
        '--data-dir',
        dataDir,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Using the running Overseer (serve');
      const id = /▶ goal ([0-9a-f]{8})/.exec(run.stdout)?.[1];
      expect(id).toBeDefined();
      expect(run.stdout).toContain('· turn 1 started');
      expect(run.stdout).toContain(`overseer land ${id}`);
      expect(run.stdout).toMatch(new RegExp(`The work is in \\S+/worktrees/${id}`));
      // The console's host drove it: its log says so, and the goal is done there.
      const listed = JSON.parse((await cli('goals', '--json', '--data-dir', dataDir)).stdout) as {
        id: string;
        status: string;
      }[];
      expect(listed.find((goal) => goal.id.startsWith(id!))?.status).toBe('done');

      const diff = await cli('diff', id!, '--data-dir', dataDir);
      expect(diff.code).toBe(0);
      expect(diff.stdout).toContain('+++ b/hello.txt');
      const clean = applyToCleanCheckout(repo, diff.stdout);
      expect(readFileSync(join(clean, 'big.txt'), 'utf8')).toBe(BIG);

      const turn = await cli('diff', id!, '--turn', '1', '--stat', '--data-dir', dataDir);
      expect(turn.code).toBe(0);
      expect(turn.stdout).toMatch(/hello\.txt +\| 1 \+/);
      expect(turn.stdout).toContain('2 file(s) changed');

      const logs = await cli('logs', id!, '--data-dir', dataDir);
      expect(logs.code).toBe(0);
      expect(logs.stdout).toContain(`▶ goal ${id}`);
      expect(logs.stdout).toMatch(/■ done after 1 turn/);
      const jsonLogs = jsonLines((await cli('logs', id!, '--json', '--data-dir', dataDir)).stdout);
      expect(jsonLogs.at(-1)?.kind).toBe('goal_completed');

      const notRunning = await cli('cancel', id!, '--data-dir', dataDir);
      expect(notRunning.code).toBe(1);
      expect(notRunning.stderr).toMatch(/not running/);
      const unknown = await cli('cancel', 'ffffffffff', '--data-dir', dataDir);
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/no goal whose id starts with "ffffffffff"/);
    },
  );

  it(
    'cancels a goal waiting for a prompt; after the console restarts, resume continues an interrupted goal and the prompt is answered elsewhere',
    { timeout: 600_000 },
    async () => {
      const repo = fixtureRepo(root);
      // A: its prompt waits in the console's inbox (no terminal here); cancel from another command.
      const a = startCli(['run', '--repo', repo, '--goal', 'goal A', '--json', '--data-dir', dataDir]);
      const aId = await until(
        () => jsonLines(a.stdout()).find((line) => line.kind === 'permission_requested')?.goalId,
        'goal A to ask',
      );
      const cancel = await cli('cancel', aId.slice(0, 6), '--json', '--data-dir', dataDir);
      expect(cancel.code).toBe(0);
      expect(JSON.parse(cancel.stdout)).toEqual({ goalId: aId, cancelled: true });
      const aDone = await a.done;
      expect(aDone.code).toBe(130);
      expect(jsonLines(aDone.stdout).at(-1)?.outcome?.outcome.kind).toBe('cancelled');

      // B: the console stops while B waits: the CLI says how to resume; B is interrupted.
      const b = startCli(['run', '--repo', repo, '--goal', 'goal B', '--json', '--data-dir', dataDir]);
      const bId = await until(
        () => jsonLines(b.stdout()).find((line) => line.kind === 'permission_requested')?.goalId,
        'goal B to ask',
      );
      await served.stop({ keepData: true });
      const bLost = await b.done;
      expect(bLost.code).toBe(1);
      expect(bLost.stderr).toContain(`overseer resume ${bId.slice(0, 8)}`);
      expect(existsSync(endpointFilePath(dataDir))).toBe(false);

      served = await serveConsole({ dataDir, env });
      const resume = startCli(['resume', bId.slice(0, 8), '--json', '--data-dir', dataDir]);
      // Another client of the console (as its inbox would) answers every prompt of B until it ends.
      const endpoint = readEndpointFile(dataDir);
      expect(endpoint).not.toBeNull();
      const inbox = await connectRemote(endpoint!);
      let finished = false;
      const answering = (async () => {
        while (!finished) {
          const { records } = await inbox.invoke('permissions.forGoal', { goalId: bId });
          for (const record of records.filter((r) => r.status === 'pending')) {
            await inbox.invoke('permission.decide', { requestId: record.request.id, action: { kind: 'allow' } });
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      })().catch((error: unknown) => error);
      const resumed = await resume.done;
      finished = true;
      expect(await answering).toBeUndefined();
      await inbox.close();
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(jsonLines(resumed.stdout).at(-1)?.outcome?.outcome.kind).toBe('done');
    },
  );
});

describe('the CLI with no host running (its own host in process)', () => {
  it(
    'runs, diffs, logs and refuses with clear messages; a stale endpoint file is ignored',
    { timeout: 600_000 },
    async () => {
      const dataDir = join(root, 'data-local');
      const repo = fixtureRepo(root);
      const run = await cli(
        'run',
        '--repo',
        repo,
        '--goal',
        'create hello.txt',
        '--accept',
        'test -f hello.txt',
        '--permissions',
        'allow',
        '--json',
        '--claude',
        claudeBin,
        '--data-dir',
        dataDir,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const goalId = jsonLines(run.stdout)[0]?.goalId;
      expect(goalId).toBeDefined();
      // Its own host published an endpoint while it ran, and removed it.
      expect(existsSync(endpointFilePath(dataDir))).toBe(false);

      // A host that died without cleaning up left its file: ignored.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      writeFileSync(
        endpointFilePath(dataDir),
        JSON.stringify({
          url: 'ws://127.0.0.1:9/ws',
          token: 'x',
          pid: Number(dead.stdout.toString()),
          startTime: null,
          mode: 'serve',
        }),
        { mode: 0o600 },
      );
      const diff = await cli('diff', goalId!.slice(0, 5), '--data-dir', dataDir);
      expect(diff.stderr).toBe('');
      expect(diff.code).toBe(0);
      applyToCleanCheckout(repo, diff.stdout);

      const logs = await cli('logs', goalId!.slice(0, 5), '--follow', '--data-dir', dataDir);
      expect(logs.code).toBe(0);
      expect(logs.stdout).toContain('(goal');
      expect(logs.stdout).toMatch(/■ done after 1 turn/);

      const resume = await cli('resume', goalId!.slice(0, 5), '--data-dir', dataDir);
      expect(resume.code).toBe(1);
      expect(resume.stderr).toMatch(/is done: only an interrupted, paused or never-started goal can be resumed/);
      const rollback = await cli('rollback', goalId!.slice(0, 5), '--turn', '1', '--data-dir', dataDir);
      expect(rollback.code).toBe(0);
      expect(rollback.stdout).toMatch(/restored to how they were before turn 1/);
      expect((await cli('diff', goalId!, '--stat', '--data-dir', dataDir)).stdout).toContain('no changes');

      // Delete never loses work silently: with the turn's files back, it lists them and refuses without --force.
      expect((await cli('rollback', goalId!.slice(0, 5), '--turn', '1', '--after', '--data-dir', dataDir)).code).toBe(
        0,
      );
      const refused = await cli('delete', goalId!.slice(0, 5), '--data-dir', dataDir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/holds 2 changed file\(s\) .*committed nowhere/);
      expect(refused.stderr).toContain('hello.txt');
      expect(existsSync(join(dataDir, 'worktrees', goalId!, 'hello.txt'))).toBe(true);
      const forced = await cli('delete', goalId!.slice(0, 5), '--force', '--json', '--data-dir', dataDir);
      expect(forced.code).toBe(0);
      expect(JSON.parse(forced.stdout)).toMatchObject({
        goalId,
        deleted: true,
        lostFiles: expect.arrayContaining(['hello.txt', 'big.txt']),
      });
      expect(JSON.parse((await cli('goals', '--json', '--data-dir', dataDir)).stdout)).toEqual([]);
    },
  );
});
