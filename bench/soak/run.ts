// Soak: many goals at once on the real Claude Code CLI (scripted fake model), through a real
// browser-mode host (`overseer serve` from the build) with two WebSocket clients subscribed the
// whole time; then the same with the host SIGKILLed at a random moment and restarted.
//
// Each turn the model calls Write (a new soak-<id>.txt), Bash (`echo soak … >> soak.log`) and Edit (that file);
// the goal runs in `allow-edits` mode, so Write/Edit are allowed by the mode and the Bash call is one
// permission prompt per turn, answered by an "always allow" rule the bench saves on the first prompt
// (any prompt the rule misses is answered by the bench and counted). The acceptance check passes
// once the worktree holds `turns` soak files, so each goal runs exactly `turns` turns.
//
// Phase 1 asserts: every event reached both clients exactly once and in order (host seq contiguous
// and identical on both), every goal event in the store reached the clients, host RSS and open fds
// at start, middle and end (growth from middle to end under the limits below), no process of the
// host's tree left after it stops, SQLite integrity_check ok.
// Phase 2 asserts: every goal event a client received is in the store after the restart, every goal
// is interrupted (or already finished) and resumes to done, no process of the killed host's tree is
// left once the restarted host has swept, integrity_check ok.
//
// Run (after `npx electron-vite build`):
//   node --import tsx bench/soak/run.ts [goals=8] [turns=25] [crashGoals=4] [crashTurns=6] [maxMinutes=45]
// The baseline beside the figures is an idle host (no goals) measured in the same run.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { claudeBin, claudeEnv } from '../../tests/fake-model/claude-env.js';
import {
  startFakeModel,
  type FakeModel,
  type FakeRequestContext,
  type FakeReply,
} from '../../tests/fake-model/server.js';
import {
  builtCli,
  RecordingClient,
  sampleResources,
  startHost,
  stillRunning,
  stopHost,
  type ResourceSample,
  type ServedHost,
} from './host.js';

function numberArgument(index: number, fallback: number): number {
  const value = Number(process.argv[2 + index] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`argument ${index + 1} must be a positive whole number`);
  return value;
}
const goalCount = numberArgument(0, 8);
const turnCount = numberArgument(1, 25);
const crashGoalCount = numberArgument(2, 4);
const crashTurnCount = numberArgument(3, 6);
const maxMinutes = numberArgument(4, 45);
const deadline = Date.now() + maxMinutes * 60_000;

/** No growth trend: from the middle sample to the end, RSS may grow this much and fds this many. */
const RSS_GROWTH_LIMIT_MIB = 64;
const FD_GROWTH_LIMIT = 16;

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
}

// ---------- the model: Write, Bash, Edit, then a final text, told apart by our tool_use ids ----------

function workingDirectory(ctx: FakeRequestContext): string {
  const match = /working directory: ([^\s\\"]+)/i.exec(JSON.stringify(ctx.body.system ?? '') + ctx.allUserText);
  if (match?.[1] === undefined) throw new Error('the request does not say the working directory');
  return match[1];
}

function soakScript(ctx: FakeRequestContext): FakeReply {
  const last = ctx.lastToolResults[ctx.lastToolResults.length - 1]?.toolUseId ?? '';
  const step = /^toolu_soak(write|bash|edit)_([0-9a-f]+)$/.exec(last);
  if (step === null) {
    const id = randomUUID().replace(/-/g, '').slice(0, 16);
    const path = `${workingDirectory(ctx)}/soak-${id}.txt`;
    return {
      text: 'Writing a file.',
      toolUses: [
        { id: `toolu_soakwrite_${id}`, name: 'Write', input: { file_path: path, content: `soak ${id}\nline two\n` } },
      ],
    };
  }
  const [, tool, id] = step;
  if (tool === 'write') {
    return {
      text: 'Checking it.',
      toolUses: [
        {
          id: `toolu_soakbash_${id}`,
          name: 'Bash',
          input: { command: `echo soak ${id} >> soak.log`, description: 'append to the log' },
        },
      ],
    };
  }
  if (tool === 'bash') {
    const path = `${workingDirectory(ctx)}/soak-${id}.txt`;
    return {
      text: 'Editing it.',
      toolUses: [
        {
          id: `toolu_soakedit_${id}`,
          name: 'Edit',
          input: { file_path: path, old_string: 'line two', new_string: 'line two, edited' },
        },
      ],
    };
  }
  return { text: 'Turn done.' };
}

// ---------- setup ----------

function makeRepository(parent: string): string {
  const repo = join(parent, 'repo');
  const git = (...args: string[]): void => {
    execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  };
  execFileSync('mkdir', ['-p', repo]);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'soak@example.com');
  git('config', 'user.name', 'Soak');
  writeFileSync(join(repo, 'README.md'), '# soak\n');
  git('add', '.');
  git('commit', '-qm', 'init');
  return repo;
}

interface GoalEventPayload {
  logSeq: number;
  event: {
    kind: string;
    goalId: string;
    request?: { id: string; toolName: string };
    requestId?: string;
    decidedBy?: { kind?: string };
  };
}

function goalEvent(payload: unknown): GoalEventPayload | null {
  if (typeof payload !== 'object' || payload === null || !('event' in payload) || !('logSeq' in payload)) return null;
  return payload as GoalEventPayload;
}

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  limitMs = deadline - Date.now(),
): Promise<void> {
  const until = Date.now() + Math.max(0, limitMs);
  while (!(await condition())) {
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Answers Bash prompts: the first with an "always allow" rule, any later one the rule did not catch
 * by hand. Counts every Bash permission decision and who made it (a call the rule matches is
 * decided at once and never shows in the inbox).
 */
class PromptAnswerer {
  ruleSaved = false;
  decided = 0;
  byRule = 0;
  byBench = 0;
  private readonly open = new Map<string, number>();
  private timer: NodeJS.Timeout;

  constructor(private readonly client: RecordingClient) {
    client.onEvent((frame) => {
      const logged = frame.channel === 'goal.event' ? goalEvent(frame.payload) : null;
      if (logged === null) return;
      const { event } = logged;
      if (event.kind === 'permission_requested' && event.request !== undefined && event.request.toolName === 'Bash') {
        this.open.set(event.request.id, Date.now());
      } else if (
        event.kind === 'permission_decided' &&
        event.requestId !== undefined &&
        (event as { toolName?: string }).toolName === 'Bash'
      ) {
        this.open.delete(event.requestId);
        this.decided += 1;
        if (event.decidedBy?.kind === 'rule') this.byRule += 1;
      }
    });
    this.timer = setInterval(() => void this.answer(), 500);
  }

  private async answer(): Promise<void> {
    for (const [requestId, since] of [...this.open]) {
      if (this.ruleSaved && Date.now() - since < 3000) continue;
      this.open.delete(requestId);
      const action = this.ruleSaved
        ? { kind: 'allow' }
        : { kind: 'always_allow', rule: { scope: 'everywhere', pattern: 'echo soak * >> soak.log' } };
      this.ruleSaved = true;
      this.byBench += 1;
      await this.client.invoke('permission.decide', { requestId, action }).catch(() => undefined);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

function createGoal(client: RecordingClient, repo: string, turns: number, name: string): Promise<string> {
  return client
    .invoke('goal.create', {
      description: `soak ${name}: ${turns} turns of Write, Bash, Edit`,
      repoPath: repo,
      acceptance: [
        {
          kind: 'shell_command',
          command: `test "$(ls soak-*.txt 2>/dev/null | wc -l)" -ge ${turns}`,
          expectedExit: 0,
          stdoutMustMatch: null,
          timeoutSecs: 60,
        },
      ],
      budget: { maxTurns: turns + 5 },
      permissionMode: 'allow-edits',
    })
    .then((value) => (value as { goalId: string }).goalId);
}

/** Creates the goals one after another (as an operator would); a refusal shows the host's output. */
async function createGoals(
  client: RecordingClient,
  host: ServedHost,
  repo: string,
  count: number,
  turns: number,
  name: string,
): Promise<string[]> {
  // "at once" means at once: the host's admission limit (3 by default) is raised to the goal count
  const settings = (await client.invoke('settings.get', {})) as { running: Record<string, unknown> };
  await client.invoke('settings.update', { running: { ...settings.running, maxRunningGoals: count } });
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    try {
      ids.push(await createGoal(client, repo, turns, `${name} ${i + 1}`));
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nhost output:\n${host.output()}`);
    }
  }
  return ids;
}

function completedGoals(client: RecordingClient, goalIds: readonly string[]): Map<string, string> {
  const done = new Map<string, string>();
  for (const frame of client.events) {
    const logged = frame.channel === 'goal.event' ? goalEvent(frame.payload) : null;
    if (logged?.event.kind === 'goal_completed' && goalIds.includes(logged.event.goalId)) {
      const outcome = (logged.event as unknown as { outcome: { outcome: { kind: string } } }).outcome.outcome.kind;
      done.set(logged.event.goalId, outcome);
    }
  }
  return done;
}

/** With SOAK_DUMP=<dir>, writes a client's frames there (to look into a failed run). */
function dumpEvents(client: RecordingClient, name: string): void {
  const dir = process.env['SOAK_DUMP'];
  if (dir === undefined || dir === '') return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(client.events, null, 1));
}

/** "kind×count" of every attempt_completed outcome the client saw. */
function attemptOutcomes(client: RecordingClient): string {
  const counts = new Map<string, number>();
  for (const frame of client.events) {
    const logged = frame.channel === 'goal.event' ? goalEvent(frame.payload) : null;
    if (logged?.event.kind !== 'attempt_completed') continue;
    const outcome = (logged.event as unknown as { result: { outcome: { kind?: string } | string } }).result.outcome;
    const kind = typeof outcome === 'string' ? outcome : (outcome.kind ?? 'unknown');
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return [...counts].map(([kind, count]) => `${kind}×${count}`).join(', ');
}

/** The reasons of every `escalate` event the client saw (printed beside an outcome that is not done). */
function escalations(client: RecordingClient): string {
  const reasons: string[] = [];
  for (const frame of client.events) {
    const logged = frame.channel === 'goal.event' ? goalEvent(frame.payload) : null;
    if (logged === null) continue;
    const event = logged.event as unknown as {
      kind: string;
      goalId: string;
      reason?: string;
      outcome?: { outcome: { kind: string; reason?: string } };
    };
    // an escalate event, or a goal that ended escalated without one (a driver error)
    if (event.kind === 'escalate') reasons.push(`${event.goalId.slice(0, 8)}: ${event.reason ?? '?'}`);
    else if (event.kind === 'goal_completed' && event.outcome?.outcome.kind === 'escalate')
      reasons.push(`${event.goalId.slice(0, 8)} ended: ${event.outcome.outcome.reason ?? '?'}`);
  }
  return reasons.length === 0 ? '' : `; escalated: ${reasons.join(' | ')}`;
}

function countKind(client: RecordingClient, kind: string): number {
  return client.events.filter(
    (frame) => frame.channel === 'goal.event' && goalEvent(frame.payload)?.event.kind === kind,
  ).length;
}

/** Event delivery on two clients: identical, strictly increasing, contiguous host seq. */
function checkDelivery(a: RecordingClient, b: RecordingClient, label: string): void {
  const seqA = a.events.map((frame) => frame.seq);
  const seqB = b.events.map((frame) => frame.seq);
  const contiguous = (seqs: number[]): boolean => seqs.every((seq, i) => i === 0 || seq === (seqs[i - 1] ?? -2) + 1);
  check(
    seqA.length > 0 && contiguous(seqA),
    `${label}: client A got ${seqA.length} events, seq contiguous and in order (no gap, no duplicate)`,
  );
  check(contiguous(seqB), `${label}: client B got ${seqB.length} events, seq contiguous and in order`);
  check(
    seqA.length === seqB.length && seqA.every((seq, i) => seq === seqB[i]),
    `${label}: both clients got the same events in the same order`,
  );
}

/** goal events of `goalIds` the client received, as logSeq sets per goal. */
function receivedLogSeqs(clients: RecordingClient[], goalIds: readonly string[]): Map<string, Set<number>> {
  const result = new Map(goalIds.map((id) => [id, new Set<number>()]));
  for (const client of clients) {
    for (const frame of client.events) {
      const logged = frame.channel === 'goal.event' ? goalEvent(frame.payload) : null;
      if (logged !== null) result.get(logged.event.goalId)?.add(logged.logSeq);
    }
  }
  return result;
}

/** Every stored event of the goal, paged through the host's own command. */
async function storedLogSeqs(client: RecordingClient, goalId: string): Promise<Set<number>> {
  const seqs = new Set<number>();
  let afterSeq: number | undefined;
  for (;;) {
    const page = (await client.invoke('goal.events', {
      goalId,
      limit: 5000,
      ...(afterSeq === undefined ? { afterSeq: 0 } : { afterSeq }),
    })) as {
      events: { logSeq: number }[];
      hasMore: boolean;
    };
    for (const event of page.events) seqs.add(event.logSeq);
    const last = page.events[page.events.length - 1]?.logSeq;
    if (!page.hasMore || last === undefined) break;
    afterSeq = last;
  }
  return seqs;
}

function integrity(dataDir: string): string {
  const db = new BetterSqlite3(join(dataDir, 'overseer.db'), { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** Waits (bounded) for every recorded pid of a host's tree to be gone; returns those left. */
async function leftovers(pids: readonly number[], waitMs: number): Promise<number[]> {
  const until = Date.now() + waitMs;
  let alive = await stillRunning(pids);
  while (alive.length > 0 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    alive = await stillRunning(pids);
  }
  return alive;
}

// ---------- phases ----------

interface Figures {
  label: string;
  value: string;
  baseline: string;
  goal: string;
  met: boolean;
}
const figures: Figures[] = [];

async function phaseOne(root: string, model: FakeModel, env: NodeJS.ProcessEnv, repo: string): Promise<void> {
  console.log(`\nphase 1: ${goalCount} goals × ${turnCount} turns, two clients subscribed`);
  const dataDir = join(root, 'data-1');
  const host = await startHost(dataDir, env);
  let pids: number[] = [];
  try {
    const a = await RecordingClient.connect(host.url);
    const b = await RecordingClient.connect(host.url);
    const answerer = new PromptAnswerer(a);
    const idle = sampleResources(host.pid, 'idle (no goals)');
    const started = Date.now();
    const goalIds = await createGoals(a, host, repo, goalCount, turnCount, 'goal');
    const samples: ResourceSample[] = [sampleResources(host.pid, 'start')];
    const totalTurns = goalCount * turnCount;
    let middleTaken = false;
    const periodic: ResourceSample[] = [];
    const sampler = setInterval(() => {
      periodic.push(sampleResources(host.pid, `t+${Math.round((Date.now() - started) / 1000)}s`));
      if (!middleTaken && countKind(a, 'attempt_completed') >= totalTurns / 2) {
        middleTaken = true;
        samples.push(sampleResources(host.pid, 'middle'));
      }
    }, 2000);
    try {
      await waitUntil(() => completedGoals(a, goalIds).size === goalIds.length, 'every goal to complete');
    } finally {
      clearInterval(sampler);
      answerer.stop();
    }
    samples.push(sampleResources(host.pid, 'end'));
    dumpEvents(a, 'phase1');
    const elapsedS = (Date.now() - started) / 1000;
    const turns = countKind(a, 'attempt_completed');
    const outcomes = completedGoals(a, goalIds);
    check(
      [...outcomes.values()].every((kind) => kind === 'done'),
      `every goal done (${[...outcomes.values()].join(', ')}${escalations(a)})`,
    );
    check(turns >= totalTurns, `${turns} turns run (${totalTurns} needed; attempt outcomes: ${attemptOutcomes(a)})`);
    check(
      answerer.decided >= totalTurns && answerer.byRule >= totalTurns - goalCount,
      `${answerer.decided} Bash permission decisions (one per turn): ${answerer.byRule} by the rule, ${answerer.byBench} by the bench`,
    );
    // Let trailing events arrive, then compare the clients with each other and with the store.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    checkDelivery(a, b, 'phase 1');
    const received = receivedLogSeqs([a], goalIds);
    let stored = 0;
    let missing = 0;
    for (const goalId of goalIds) {
      const inStore = await storedLogSeqs(a, goalId);
      stored += inStore.size;
      const got = received.get(goalId) ?? new Set<number>();
      for (const seq of inStore) if (!got.has(seq)) missing += 1;
    }
    check(missing === 0, `all ${stored} stored goal events reached the clients (${missing} missing)`);
    pids = await host.recordedPids();
    a.close();
    b.close();
    await stopHost(host);
    const left = await leftovers(pids, 30_000);
    check(
      left.length === 0,
      `no process of the host's tree left after it stopped (${pids.length} recorded, left: ${left.join(' ') || 'none'})`,
    );
    const integrityResult = integrity(dataDir);
    check(integrityResult === 'ok', `SQLite integrity_check: ${integrityResult}`);

    const [start, middle, end] = [
      samples[0],
      samples.find((s) => s.at === 'middle') ?? samples[0],
      samples[samples.length - 1],
    ];
    console.log('\nhost resources (RSS MiB / open fds):');
    for (const sample of [idle, ...samples])
      console.log(
        `  ${sample.at.padEnd(16)} ${String(sample.rssMiB).padStart(7)} MiB  ${String(sample.fds).padStart(4)} fds`,
      );
    const series = periodic.filter((_, i) => i % Math.max(1, Math.ceil(periodic.length / 8)) === 0);
    console.log(`  series: ${series.map((s) => `${s.at} ${s.rssMiB}MiB/${s.fds}fd`).join(', ')}`);
    const rssGrowth = (end?.rssMiB ?? 0) - (middle?.rssMiB ?? 0);
    const fdGrowth = (end?.fds ?? 0) - (middle?.fds ?? 0);
    check(
      rssGrowth <= RSS_GROWTH_LIMIT_MIB,
      `RSS middle→end ${rssGrowth.toFixed(1)} MiB (limit +${RSS_GROWTH_LIMIT_MIB})`,
    );
    check(fdGrowth <= FD_GROWTH_LIMIT, `open fds middle→end ${fdGrowth} (limit +${FD_GROWTH_LIMIT})`);
    figures.push(
      {
        label: 'phase 1 wall time',
        value: `${elapsedS.toFixed(0)} s (${(turns / elapsedS).toFixed(2)} turns/s)`,
        baseline: '-',
        goal: `within ${maxMinutes} min`,
        met: true,
      },
      {
        label: 'events per client',
        value: String(a.events.length),
        baseline: '-',
        goal: 'both identical, contiguous',
        met: !failures.some((f) => f.startsWith('phase 1:')),
      },
      {
        label: 'host RSS start/mid/end',
        value: `${start?.rssMiB}/${middle?.rssMiB}/${end?.rssMiB} MiB`,
        baseline: `${idle.rssMiB} MiB idle`,
        goal: `mid→end ≤ +${RSS_GROWTH_LIMIT_MIB} MiB`,
        met: rssGrowth <= RSS_GROWTH_LIMIT_MIB,
      },
      {
        label: 'host fds start/mid/end',
        value: `${start?.fds}/${middle?.fds}/${end?.fds}`,
        baseline: `${idle.fds} idle`,
        goal: `mid→end ≤ +${FD_GROWTH_LIMIT}`,
        met: fdGrowth <= FD_GROWTH_LIMIT,
      },
      {
        label: 'processes left (phase 1)',
        value: String(left.length),
        baseline: '-',
        goal: '0',
        met: left.length === 0,
      },
    );
  } finally {
    if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
    await host.tracker.killLeftovers();
    void model;
  }
}

async function phaseTwo(root: string, env: NodeJS.ProcessEnv, repo: string): Promise<void> {
  console.log(
    `\nphase 2: ${crashGoalCount} goals × ${crashTurnCount} turns, host SIGKILLed at a random moment, restarted`,
  );
  const dataDir = join(root, 'data-2');
  const first = await startHost(dataDir, env);
  let second: ServedHost | null = null;
  try {
    const a = await RecordingClient.connect(first.url);
    const b = await RecordingClient.connect(first.url);
    const answerer = new PromptAnswerer(a);
    const goalIds = await createGoals(a, first, repo, crashGoalCount, crashTurnCount, 'crash goal');
    const totalTurns = crashGoalCount * crashTurnCount;
    // The moment: after a random number of completed turns, 20–70 % of the way.
    const killAfterTurns = Math.max(1, Math.floor(totalTurns * (0.2 + Math.random() * 0.5)));
    await waitUntil(
      () => countKind(a, 'attempt_completed') >= killAfterTurns,
      `${killAfterTurns} turns before the kill`,
    );
    const firstPids = await first.recordedPids();
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;
    answerer.stop();
    const receivedBeforeKill = receivedLogSeqs([a, b], goalIds);
    const receivedCount = [...receivedBeforeKill.values()].reduce((sum, set) => sum + set.size, 0);
    console.log(
      `  killed after ${killAfterTurns} turns; ${receivedCount} goal events received by the clients; ${firstPids.length} pids in its tree`,
    );
    checkDelivery(a, b, 'phase 2 (before the kill)');

    second = await startHost(dataDir, env);
    const c = await RecordingClient.connect(second.url);
    const answerer2 = new PromptAnswerer(c);
    let lost = 0;
    for (const goalId of goalIds) {
      const inStore = await storedLogSeqs(c, goalId);
      for (const seq of receivedBeforeKill.get(goalId) ?? []) if (!inStore.has(seq)) lost += 1;
    }
    check(
      lost === 0,
      `no acknowledged event lost: all ${receivedCount} events the clients received are in the store (${lost} lost)`,
    );
    const listed = (await c.invoke('goals.list', {})) as { goals: { id: string; status: string }[] };
    const statuses = goalIds.map((id) => listed.goals.find((goal) => goal.id === id)?.status ?? 'missing');
    check(
      statuses.every((status) => status === 'interrupted' || status === 'done'),
      `after the restart every goal is interrupted or done (${statuses.join(', ')})`,
    );
    const orphans = await leftovers(
      firstPids.filter((pid) => pid !== first.pid),
      60_000,
    );
    check(
      orphans.length === 0,
      `no orphan of the killed host's tree after the restart (${firstPids.length} recorded, left: ${orphans.join(' ') || 'none'})`,
    );
    const interrupted = goalIds.filter((_, i) => statuses[i] === 'interrupted');
    for (const goalId of interrupted) await c.invoke('goal.restart', { goalId });
    await waitUntil(() => completedGoals(c, interrupted).size === interrupted.length, 'the resumed goals to complete');
    answerer2.stop();
    dumpEvents(c, 'phase2-after-restart');
    const outcomes = completedGoals(c, interrupted);
    check(
      [...outcomes.values()].every((kind) => kind === 'done'),
      `${interrupted.length} interrupted goals resumed to done (${[...outcomes.values()].join(', ') || 'none'}${escalations(c)})`,
    );
    const secondPids = await second.recordedPids();
    c.close();
    await stopHost(second);
    const left = await leftovers(secondPids, 30_000);
    check(
      left.length === 0,
      `no process of the restarted host's tree left after it stopped (left: ${left.join(' ') || 'none'})`,
    );
    const integrityResult = integrity(dataDir);
    check(integrityResult === 'ok', `SQLite integrity_check after crash and restart: ${integrityResult}`);
    figures.push(
      {
        label: 'kill moment',
        value: `after ${killAfterTurns}/${totalTurns} turns`,
        baseline: '-',
        goal: 'random 20–70 %',
        met: true,
      },
      {
        label: 'acknowledged events lost',
        value: `${lost} of ${receivedCount}`,
        baseline: '-',
        goal: '0',
        met: lost === 0,
      },
      {
        label: 'orphans after restart',
        value: String(orphans.length),
        baseline: '-',
        goal: '0',
        met: orphans.length === 0,
      },
      {
        label: 'goals resumed to done',
        value: `${[...outcomes.values()].filter((k) => k === 'done').length}/${interrupted.length}`,
        baseline: '-',
        goal: 'all',
        met: [...outcomes.values()].every((k) => k === 'done'),
      },
    );
  } finally {
    for (const host of [first, second]) {
      if (host === null) continue;
      if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
      await host.tracker.killLeftovers();
    }
  }
}

async function main(): Promise<void> {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: run \`npx electron-vite build\` first`);
  const root = mkdtempSync(join(tmpdir(), 'overseer-soak-'));
  const model = await startFakeModel(soakScript);
  const env = {
    ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }),
    OVERSEER_CLAUDE_BIN: claudeBin,
  };
  const repo = makeRepository(root);
  try {
    try {
      await phaseOne(root, model, env, repo);
    } catch (error) {
      check(false, `phase 1 did not finish: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      await phaseTwo(root, env, repo);
    } catch (error) {
      check(false, `phase 2 did not finish: ${error instanceof Error ? error.message : String(error)}`);
    }
  } finally {
    await model.close();
    rmSync(root, { recursive: true, force: true });
  }
  console.log('\n| figure | value | baseline (same run) | goal | met |');
  console.log('|---|---|---|---|---|');
  for (const f of figures)
    console.log(`| ${f.label} | ${f.value} | ${f.baseline} | ${f.goal} | ${f.met ? 'met' : 'not met'} |`);
  console.log(
    failures.length === 0
      ? '\nsoak: all checks passed'
      : `\nsoak: ${failures.length} check(s) failed:\n  ${failures.join('\n  ')}`,
  );
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
