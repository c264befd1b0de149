// A host driving Claude Code in long-lived mode, killed with SIGKILL while the goal's live Claude
// process waits between turns (its turn replied; acceptance runs), then restarted. A process still
// alive then is found by startup recovery and stopped; an idle one has already ended by itself (its
// stdin closed with the host) and recovery clears its record. Either way the goal shows as
// interrupted and, restarted, resumes in a new Claude process that goes on from the conversation, to
// done. The crash host and everything it started are killed after each test whatever happens.
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, type Host } from '../../../src/main/host/host.js';
import { tsxImportArgs } from '../../../src/main/permission/source-bridge.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';
import { guardChild, type ChildGuard } from '../../helpers/spawned-tree.js';
import { isAlive } from '../driver/support/procs.js';
import { fixtureRepo, waitFor } from './support.js';

let root: string;
const TEST_TIMEOUT_MS = 300_000;
let guard: ChildGuard | null = null;
let fake: FakeModel | null = null;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'overseer-long-lived-restart-'));
});
afterEach(async () => {
  await guard?.cleanup();
  guard = null;
  await fake?.close();
  fake = null;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface DeadHost {
  model: FakeModel;
  dataDir: string;
  configDir: string;
  goalId: string;
  /** The goal's live Claude process when its host was killed. */
  live: number;
}

/**
 * Whether one of Claude Code's session files under `configDir` holds `text`. The CLI writes that file
 * behind its stdout, so the turn's result (and the acceptance after it) can come before the reply is
 * saved; a process stopped or killed in between would leave the turn out of the conversation that
 * `--resume` restores.
 */
function sessionSaved(configDir: string, text: string): boolean {
  const projects = join(configDir, 'projects');
  if (!existsSync(projects)) return false;
  return readdirSync(projects).some((project) =>
    readdirSync(join(projects, project)).some(
      (file) => file.endsWith('.jsonl') && readFileSync(join(projects, project, file), 'utf8').includes(text),
    ),
  );
}

/**
 * Starts a long-lived host in a child process on a new goal, waits until its live Claude process sits
 * between turns (acceptance is running), and SIGKILLs the host. `hold`: SIGSTOP the live process first,
 * so it is still alive at the restart (as a busy one would be) instead of ending at EOF on its stdin.
 */
async function killHostBetweenTurns(name: string, hold: boolean): Promise<DeadHost> {
  const model = await startFakeModel((ctx) => ({ text: ctx.index === 0 ? 'FIRST-REPLY' : 'Finished.' }));
  fake = model;
  const dataDir = join(root, `data-${name}`);
  const repo = fixtureRepo(root);
  const configDir = join(root, `claude-config-${name}`);
  const release = join(root, `release-${name}`);
  const marker = `sleep 900.${process.pid}${Date.now() % 1000}`;
  // Acceptance waits (the live process sits between turns) until the release file exists.
  const acceptance = `test -f ${release} || ${marker}`;
  const child = spawn(
    process.execPath,
    [
      ...tsxImportArgs(),
      new URL('./long-lived-crash-host.ts', import.meta.url).pathname,
      dataDir,
      repo,
      model.url,
      configDir,
      acceptance,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  guard = guardChild(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // The sleep itself (the host's argv and the shell's hold the whole command line too).
  const sleeping = (): boolean => {
    try {
      return execFileSync('pgrep', ['-f', `^${marker}$`], { encoding: 'utf8' }).trim() !== '';
    } catch {
      return false;
    }
  };
  await waitFor(sleeping, 'acceptance to be running', 240_000);
  // The case under test is a host dying after Claude saved the turn (see sessionSaved).
  await waitFor(() => sessionSaved(configDir, 'FIRST-REPLY'), 'the session file to hold the reply', 120_000);
  const live = Number(/PROC (\d+)/.exec(output)?.[1]);
  const goalId = /GOAL (\S+)/.exec(output)?.[1];
  expect(goalId).toBeDefined();
  expect(isAlive(live)).toBe(true);
  if (hold) process.kill(live, 'SIGSTOP');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await guard.record();
  child.kill('SIGKILL');
  await exited;
  writeFileSync(release, '');
  return { model, dataDir, configDir, goalId: goalId!, live };
}

function restartHost(dead: DeadHost): Promise<Host> {
  return createHost({
    mode: 'cli',
    dataDir: dead.dataDir,
    heartbeatMs: 0,
    claudeBinary: claudeBin,
    driver: { claudeProcess: 'long-lived', env: claudeEnv({ baseUrl: dead.model.url, configDir: dead.configDir }) },
  });
}

/** Restarts the interrupted goal and checks it resumes the conversation in a new process, to done. */
async function resumesToDone(host: Host, dead: DeadHost): Promise<void> {
  expect(host.stores.transcripts.recordedProcesses()).toEqual([]);
  expect(host.stores.goals.get(dead.goalId)?.status).toBe('interrupted');
  const pids: number[] = [];
  const transcripts = host.stores.transcripts;
  const record = transcripts.recordProcess.bind(transcripts);
  transcripts.recordProcess = (id, turnIndex, pid, startedAt) => {
    pids.push(pid);
    record(id, turnIndex, pid, startedAt);
  };
  const restarted = await host.dispatcher.invoke('goal.restart', { goalId: dead.goalId }, { transport: 'local' });
  expect(restarted).toEqual({ ok: true, value: { ok: true } });
  const outcome = await host.runner.finished(dead.goalId);
  expect(outcome?.outcome.kind).toBe('done');
  expect(host.stores.goals.get(dead.goalId)?.status).toBe('done');
  expect(pids.length).toBeGreaterThan(0);
  expect(pids).not.toContain(dead.live);
  // The new process resumed the conversation the dead host's process had.
  expect(JSON.stringify(dead.model.requests.at(-1)?.body.messages)).toContain('FIRST-REPLY');
  expect(pids.filter((pid) => isAlive(pid))).toEqual([]);
}

describe('long-lived mode: host restart', () => {
  it(
    'recovery stops a live process the dead host left between turns; the goal resumes in a new one',
    async () => {
      const dead = await killHostBetweenTurns('held', true);
      expect(isAlive(dead.live)).toBe(true);
      const host = await restartHost(dead);
      try {
        const stopped = host.recovery.processes.filter((p) => p.goalId === dead.goalId);
        expect(stopped).toEqual([{ goalId: dead.goalId, turnIndex: 0, pid: dead.live, result: 'killed' }]);
        await waitFor(() => !isAlive(dead.live), 'the live process to be gone', 60_000);
        await resumesToDone(host, dead);
      } finally {
        await host.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an idle live process ends by itself when its host dies; recovery clears its record; the goal resumes',
    async () => {
      const dead = await killHostBetweenTurns('idle', false);
      // Its stdin closed with the host: EOF between turns ends it (the host's death leaves no Claude behind).
      await waitFor(() => !isAlive(dead.live), 'the live process to end at EOF', 120_000);
      const host = await restartHost(dead);
      try {
        const found = host.recovery.processes.filter((p) => p.goalId === dead.goalId);
        expect(found).toEqual([{ goalId: dead.goalId, turnIndex: 0, pid: dead.live, result: 'not_running' }]);
        await resumesToDone(host, dead);
      } finally {
        await host.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
