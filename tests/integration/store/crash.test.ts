// A host killed with SIGKILL in the middle of a goal, then restarted: every event it acknowledged
// is in the database, PRAGMA integrity_check is ok, the goal recovers as interrupted (its recorded
// claude process stopped) and can be resumed from the stored binding, usage and turn count.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZERO_USAGE } from '../../../src/shared/domain/goal.js';
import { openStores, processStartTime } from '../../../src/main/store/index.js';
import { tempDir, type TempDir } from '../../unit/store/helpers.js';
import { guardChild, type ChildGuard } from '../../helpers/spawned-tree.js';

const childScript = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

let dir: TempDir | null = null;
let strayPid: number | null = null;
let guard: ChildGuard | null = null;
afterEach(async () => {
  await guard?.cleanup(); // the child and its claude, whatever happened in the test
  guard = null;
  if (strayPid !== null && processStartTime(strayPid) !== null) {
    try {
      process.kill(strayPid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  strayPid = null;
  dir?.remove();
  dir = null;
});

const SeqRows = z.array(z.object({ seq: z.number().int() }));

describe('crash recovery', () => {
  it('keeps every acknowledged event across a SIGKILL and recovers the goal as interrupted', async () => {
    const data = (dir = tempDir('overseer-crash-'));
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, data.path], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    guard = guardChild(child);
    const exited = once(child, 'exit');
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });

    const acked: number[] = [];
    let goalId: string | null = null;
    let claudePid: number | null = null;
    let buffered = '';
    const enough = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [tag, value] = line.split(' ');
          if (tag === 'ack') acked.push(Number(value));
          else if (tag === 'goal') goalId = value ?? null;
          else if (tag === 'claude') strayPid = claudePid = Number(value);
        }
        // Kill it well into the run: several turns in, batches still flowing.
        if (acked.length >= 3000) resolve();
      });
      child.on('exit', (code, signal) => reject(new Error(`child ended early (${code ?? signal}): ${stderr}`)));
    });
    await enough;
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    // Anything still in the pipe was printed after its commit too; a partial last line is ignored.
    expect(goalId).not.toBeNull();
    expect(claudePid).not.toBeNull();
    const id = goalId ?? '';
    const pid = claudePid ?? 0;
    // The stand-in claude outlived its host.
    expect(processStartTime(pid)).not.toBeNull();

    const stores = openStores(join(data.path, 'overseer.db'));
    try {
      expect(stores.db.pragma('integrity_check', { simple: true })).toBe('ok');

      const stored = new Set(SeqRows.parse(stores.db.prepare('SELECT seq FROM events').all()).map((row) => row.seq));
      const missing = acked.filter((seq) => !stored.has(seq));
      expect(missing).toEqual([]);
      expect(acked.length).toBeGreaterThanOrEqual(3000);
      // Acknowledgements came in seq order without gaps.
      expect(acked).toEqual(acked.map((_, index) => index + 1));

      const before = stores.goals.get(id);
      expect(before?.status).toBe('running');

      const summary = await stores.recoverAtStart(new Date(), { graceMs: 5000 });
      expect(summary.interruptedGoals.map((goal) => goal.goalId)).toEqual([id]);
      expect(summary.processes).toEqual([{ goalId: id, turnIndex: 0, pid, result: 'terminated' }]);
      expect(processStartTime(pid)).toBeNull();
      expect(stores.goals.get(id)?.status).toBe('interrupted');

      // Resume: the driver reattaches with the stored binding, usage and turn count.
      const info = stores.resumeInfo(id);
      expect(info?.sessionBinding?.sessionId).toBe('crash-session');
      expect(info?.status).toBe('interrupted');
      const turns = stores.turns.turnsForGoal(id);
      const completed = turns.filter((turn) => turn.status === 'completed');
      expect(completed.length).toBeGreaterThanOrEqual(3);
      expect(info?.totalTurns).toBe(completed.length);
      expect(info?.usage.tokens).toBe(500 * completed.length);
      expect(turns.filter((turn) => turn.status === 'interrupted')).toHaveLength(1);
      // Transcript lines up to the crash are readable and numbered from 0.
      const firstTurnLines = stores.transcripts.transcriptForTurn(id, 0);
      expect(firstTurnLines.map((line) => line.lineNo)).toEqual(firstTurnLines.map((_, index) => index));

      const goal = info?.goal;
      if (goal === undefined) throw new Error('no goal to resume');
      stores.events.append({ kind: 'goal_started', goalId: id, goal });
      stores.events.append({
        kind: 'attempt_started',
        goalId: id,
        turnIndex: info?.totalTurns ?? 0,
        usage: info?.usage ?? ZERO_USAGE,
        compact: false,
        prompt: 'resume',
      });
      const resumed = stores.goals.get(id);
      expect(resumed?.status).toBe('running');
      expect(resumed?.totalTurns).toBe(completed.length);
      const lastTurn = stores.turns.turnsForGoal(id).at(-1);
      expect(lastTurn).toMatchObject({ turnIndex: completed.length, status: 'running', prompt: 'resume' });
    } finally {
      stores.close();
    }
  }, 120_000);
});
