// Seeds a data directory with one finished goal and `count` stored driver events in a realistic
// mix (turn headers, Claude's text, tool calls with results, permission requests and decisions,
// checkpoints with diff stats, attempt outcomes, acceptance), through the real store API. Used by
// the timeline end-to-end test and bench/timeline. The directory must not be served while seeding.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { openStores } from '../../src/main/store/index.js';
import { ZERO_USAGE } from '../../src/shared/domain/goal.js';
import { testGoal } from './goal.js';
import type { DriverEvent } from '../../src/shared/events.js';

/** A message longer than the timeline keeps in memory (its end is loaded on demand). */
export const LONG_TEXT = `Long report: ${'every module was checked and the parser now accepts trailing commas; '.repeat(20)}END-OF-LONG-MESSAGE`;

/** Events one seeded turn holds (a multiple keeps the mix the same at any count). */
export const EVENTS_PER_TURN = 40;

export interface SeededGoal {
  goalId: string;
  /** Driver events stored for the goal. */
  events: number;
  turns: number;
  /** Text of the newest Claude message (the last one the timeline shows). */
  lastText: string;
}

function turnEvents(goalId: string, turnIndex: number, repoPath: string): DriverEvent[] {
  const usage = { ...ZERO_USAGE, turns: turnIndex, tokens: turnIndex * 5000 };
  const events: DriverEvent[] = [
    {
      kind: 'attempt_started',
      goalId,
      turnIndex,
      usage,
      compact: false,
      prompt: `Continue the goal (turn ${turnIndex}).`,
    },
    {
      kind: 'checkpoint',
      goalId,
      turnIndex,
      phase: 'pre',
      ref: `refs/overseer/${goalId}/${turnIndex}-pre`,
      sha: 'a'.repeat(40),
      diffStat: null,
    },
  ];
  let step = 0;
  // Steps of text, tool_use, tool_result, then a permission request and its decision or a thinking line.
  while (events.length < EVENTS_PER_TURN - 6) {
    const toolUseId = `toolu_${turnIndex}_${step}`;
    events.push({
      kind: 'turn_output',
      goalId,
      turnIndex,
      entry: {
        type: 'text',
        text: `Turn ${turnIndex}, step ${step}: reading src/module-${step % 17}.ts and planning the next edit so the tests pass.`,
      },
    });
    events.push({
      kind: 'turn_output',
      goalId,
      turnIndex,
      entry: {
        type: 'tool_use',
        toolUseId,
        name: step % 2 === 0 ? 'Bash' : 'Edit',
        input:
          step % 2 === 0
            ? { command: `npm test -- --grep case-${step}` }
            : { file_path: `${repoPath}/src/module-${step}.ts`, old_string: 'let a = 1;', new_string: 'const a = 1;' },
      },
    });
    events.push({
      kind: 'turn_output',
      goalId,
      turnIndex,
      entry: {
        type: 'tool_result',
        toolUseId,
        content: `ok ${step}\n`.repeat(1 + (step % 5)) + (step % 7 === 0 ? 'x'.repeat(4000) : ''),
        isError: step % 11 === 5,
        truncated: step % 7 === 0,
      },
    });
    if (step % 2 === 0) {
      const requestId = randomUUID();
      const input = { command: `npm test -- --grep case-${step}` };
      events.push({
        kind: 'permission_requested',
        goalId,
        request: {
          id: requestId,
          goalId,
          turnIndex,
          toolName: 'Bash',
          toolUseId,
          input,
          createdAt: new Date().toISOString(),
        },
      });
      // Decided at once, so no prompt stays pending.
      events.push({
        kind: 'permission_decided',
        goalId,
        requestId,
        toolName: 'Bash',
        decision: { behavior: 'allow', updatedInput: input },
        decidedBy: { kind: 'operator' },
      });
    } else {
      events.push({
        kind: 'turn_output',
        goalId,
        turnIndex,
        entry: { type: 'thinking', text: 'The failing case needs the parser to accept trailing commas.' },
      });
    }
    step += 1;
  }
  const diffStat = {
    files: [
      {
        path: `src/module-${turnIndex % 17}.ts`,
        oldPath: null,
        status: 'modified' as const,
        added: 3,
        removed: 1,
        binary: false,
      },
    ],
    added: 3,
    removed: 1,
  };
  events.push({
    kind: 'checkpoint',
    goalId,
    turnIndex,
    phase: 'post',
    ref: `refs/overseer/${goalId}/${turnIndex}-post`,
    sha: 'b'.repeat(40),
    diffStat,
  });
  events.push({
    kind: 'attempt_completed',
    goalId,
    result: {
      goalId,
      turnIndex,
      outcome: { kind: 'continue', reason: 'more to do' },
      usageAfter: { ...usage, turns: turnIndex + 1 },
      acceptance: null,
      finalText: null,
      sessionId: null,
      turnTokens: 5000,
      turnCostUsd: 0.01,
      permissionDenials: 0,
      preCheckpoint: 'a'.repeat(40),
      postCheckpoint: 'b'.repeat(40),
      diffStat,
    },
  });
  events.push({
    kind: 'acceptance',
    goalId,
    turnIndex,
    verdict: {
      met: false,
      failures: [{ criterionIndex: 0, criterionLabel: 'npm test', message: 'exit 1', evidence: null }],
      evaluatedAt: new Date().toISOString(),
      elapsedMs: 1200,
    },
  });
  events.push({
    kind: 'progress',
    goalId,
    turnIndex: turnIndex + 1,
    usage: { ...usage, turns: turnIndex + 1 },
    lastText: null,
  });
  // Two more: the driver's replay and compaction events in turn, so every row kind is seen.
  if (turnIndex % 3 === 0) {
    events.push({
      kind: 'compact_requested',
      goalId,
      turnIndex,
      focus: 'keep the parser work',
      tokenPressure: 0.82,
      beforeTokens: 150_000,
      ageMinutes: 12,
      trigger: 'token_pressure',
    });
    events.push({ kind: 'compact_completed', goalId, turnIndex, afterTokens: 30_000 });
  } else if (turnIndex % 3 === 1) {
    events.push({
      kind: 'replay_decision',
      goalId,
      turnIndex,
      decision: { kind: 'next_turn', rollbackTo: null },
      errorMessage: 'the CLI exited without a result',
    });
    events.push({ kind: 'sleep_started', goalId, durationMs: 1000, reason: 'waiting for CI' });
  }
  while (events.length < EVENTS_PER_TURN)
    events.push({ kind: 'driver_warning', goalId, message: `note ${events.length} of turn ${turnIndex}` });
  return events;
}

/** Stores a goal with `count` events (rounded down to whole turns, at least one) in `dataDir`. */
export function seedTimeline(
  dataDir: string,
  count: number,
  description = `Seeded goal with ${count} events`,
): SeededGoal {
  const stores = openStores(join(dataDir, 'overseer.db'));
  try {
    const goalId = randomUUID();
    const repoPath = '/tmp/seeded-repository';
    const goal = testGoal({
      id: goalId,
      description,
      acceptance: [
        { kind: 'shell_command', command: 'npm test', expectedExit: 0, stdoutMustMatch: null, timeoutSecs: 300 },
      ],
      budget: { maxTurns: 100_000 },
      repoPath,
      inPlace: true,
    });
    stores.goals.insert(goal, 'pending');
    const turns = Math.max(1, Math.floor((count - 4) / EVENTS_PER_TURN));
    let events = 0;
    stores.events.append({ kind: 'goal_started', goalId, goal });
    events += 1;
    for (let turn = 0; turn < turns; turn++) {
      for (const event of turnEvents(goalId, turn, repoPath)) {
        stores.events.append(event);
        events += 1;
      }
    }
    // Top up to exactly `count` with the start of one more turn (the last three events follow).
    for (const event of turnEvents(goalId, turns, repoPath).slice(0, Math.max(0, count - 3 - events))) {
      stores.events.append(event);
      events += 1;
    }
    const lastText = `All ${turns} turns done; the seeded goal is complete.`;
    stores.events.append({ kind: 'turn_output', goalId, turnIndex: turns, entry: { type: 'text', text: LONG_TEXT } });
    stores.events.append({ kind: 'turn_output', goalId, turnIndex: turns, entry: { type: 'text', text: lastText } });
    stores.events.append({
      kind: 'goal_completed',
      goalId,
      outcome: {
        goalId,
        outcome: { kind: 'done' },
        error: null,
        totalTurns: turns,
        usage: { ...ZERO_USAGE, turns, tokens: turns * 5000, costUsd: turns * 0.01 },
        finalText: lastText,
        acceptance: null,
        elapsedMs: 60_000,
      },
    });
    events += 3;
    stores.events.flush();
    return { goalId, events, turns, lastText };
  } finally {
    stores.close();
  }
}
