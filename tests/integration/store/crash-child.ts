// Child process for crash.test.ts: plays a host driving one goal. It opens the stores in the data
// dir given as argv[2], starts a stand-in "claude" process (detached, so it outlives us) and records
// it, then appends events and transcript lines as fast as it can, printing "ack <seq>" for every
// event whose batch committed. The test SIGKILLs it mid-run. Run: node --import tsx crash-child.ts DIR
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ZERO_USAGE, type Goal } from '../../../src/shared/domain/goal.js';
import { openStores, processStartTime } from '../../../src/main/store/index.js';
import { testGoal } from '../../helpers/goal.js';

const dataDir = process.argv[2];
if (dataDir === undefined) throw new Error('usage: crash-child.ts DATA_DIR');

const stores = openStores(join(dataDir, 'overseer.db'), { maxBatch: 64 });
const goal: Goal = testGoal({
  description: 'Crash test goal: keep writing until killed',
  budget: { maxTurns: 1_000_000 },
  repoPath: dataDir,
  inPlace: true,
});

stores.events.subscribe((seq) => {
  process.stdout.write(`ack ${seq}\n`);
});

stores.events.appendDurable({ kind: 'goal_started', goalId: goal.id, goal });
stores.sessionBindings.upsert({ goalId: goal.id, sessionId: 'crash-session', model: null, workspace: dataDir });

const claude = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
claude.unref();
const claudePid = claude.pid;
if (claudePid === undefined) throw new Error('could not start the stand-in claude');
stores.transcripts.recordProcess(goal.id, 0, claudePid, processStartTime(claudePid) ?? 'unknown');
process.stdout.write(`goal ${goal.id}\nclaude ${claudePid}\n`);

let turn = 0;
let usage = { ...ZERO_USAGE };
stores.events.append({
  kind: 'attempt_started',
  goalId: goal.id,
  turnIndex: turn,
  usage,
  compact: false,
  prompt: 'go',
});

const stopAt = Date.now() + 60_000;
let n = 0;
async function run(): Promise<void> {
  while (Date.now() < stopAt) {
    for (let i = 0; i < 40; i += 1) {
      n += 1;
      const text = `working on step ${n} of turn ${turn}`;
      stores.events.append({ kind: 'turn_output', goalId: goal.id, turnIndex: turn, entry: { type: 'text', text } });
      stores.transcripts.appendLine(
        goal.id,
        turn,
        JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text }] } }),
      );
      if (n % 200 === 0) {
        usage = { ...usage, turns: turn + 1, tokens: usage.tokens + 500, costUsd: usage.costUsd + 0.001 };
        stores.events.append({
          kind: 'attempt_completed',
          goalId: goal.id,
          result: {
            goalId: goal.id,
            turnIndex: turn,
            outcome: { kind: 'continue', reason: 'more' },
            usageAfter: usage,
            acceptance: null,
            finalText: text,
            sessionId: 'crash-session',
            turnTokens: 500,
            turnCostUsd: 0.001,
            permissionDenials: 0,
            preCheckpoint: null,
            postCheckpoint: null,
            diffStat: null,
          },
        });
        turn += 1;
        stores.events.append({
          kind: 'attempt_started',
          goalId: goal.id,
          turnIndex: turn,
          usage,
          compact: false,
          prompt: '',
        });
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

await run();
stores.close();
