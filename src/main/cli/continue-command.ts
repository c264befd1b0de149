// `overseer continue GOAL "note" [--turns N] [--wall-time D] [--tokens N] [--cost USD]`: a goal
// that ended (done, cancelled, budget exhausted, escalated, failed; also after a rollback) goes on
// with the note, in the same workspace and Claude session, its budget extended by the flags; then
// it is followed like `overseer run` (same lines, prompts and exit codes).
import { parseArgs } from 'node:util';
import { parseDuration } from '../../shared/domain/duration.js';
import { onBudgetOf } from '../../shared/domain/goal.js';
import type { BudgetExtension } from '../../shared/domain/budget-extension.js';
import { openHostClient } from './host-client/connect.js';
import { resolveGoal } from './goal-ref.js';
import { followGoal } from './follow.js';
import { followToEnd } from './goal-session.js';
import { CONTINUE_HELP, UsageError } from './usage.js';
import { wholeNumberFlag } from './number-flags.js';
import { hasTerminal } from './terminal.js';

export interface ContinueOptions {
  goal: string;
  note: string;
  extension: BudgetExtension;
  json: boolean;
  dataDir: string | null;
  help: boolean;
}

export function parseContinueOptions(argv: string[]): ContinueOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      turns: { type: 'string' },
      'wall-time': { type: 'string' },
      tokens: { type: 'string' },
      cost: { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const base = { json: values.json, dataDir: values['data-dir'] ?? null, help: values.help };
  if (values.help) return { ...base, goal: '', note: '', extension: {} };
  const [goal, note, ...extra] = positionals;
  if (goal === undefined) throw new UsageError('which goal? give its id or the start of it (see `overseer goals`)');
  if (note === undefined || note.trim() === '')
    throw new UsageError(
      'a note is required: what Claude should do next, e.g. overseer continue ab12 "also update the docs" --turns 5',
    );
  if (extra.length > 0) throw new UsageError(`expected GOAL and one note (quote it), got also: ${extra.join(' ')}`);
  const extension: BudgetExtension = {};
  if (values.turns !== undefined) extension.turns = wholeNumberFlag('--turns', values.turns, { min: 1 });
  if (values.tokens !== undefined) extension.tokens = wholeNumberFlag('--tokens', values.tokens, { min: 1 });
  if (values['wall-time'] !== undefined) {
    const wall = parseDuration(values['wall-time']);
    if (!wall.ok || wall.ms <= 0)
      throw new UsageError(`--wall-time: ${wall.ok ? 'give a duration longer than zero' : wall.error}`);
    extension.wallTimeMs = wall.ms;
  }
  if (values.cost !== undefined) {
    const usd = Number(values.cost);
    if (!Number.isFinite(usd) || usd <= 0)
      throw new UsageError(`--cost must be an amount in USD above 0 such as 2.50, got "${values.cost}"`);
    extension.costUsd = usd;
  }
  return { ...base, goal, note, extension };
}

export async function continueCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseContinueOptions(argv);
  if (options.help) return (out(CONTINUE_HELP), 0);
  const client = await openHostClient({ dataDir: options.dataDir, publishLocal: true });
  try {
    const summary = await resolveGoal(client, options.goal);
    const goalId = summary.id;
    const detail = await client.invoke('goal.get', { goalId });
    const ask = detail.goal.permissionMode === 'ask';
    const askOnTerminal = ask && hasTerminal();
    if (ask && !askOnTerminal && client.kind === 'local') {
      throw new UsageError(
        'this goal asks about tool calls: continue it on an interactive terminal, or with the console running to answer there',
      );
    }
    const askAtCap = onBudgetOf(detail.goal) === 'pause' && hasTerminal();
    const follower = followGoal(client, { json: options.json, out, askOnTerminal, askAtCap });
    try {
      const { budget, queuePosition } = await client.invoke('goal.continue', {
        goalId,
        note: options.note,
        extension: options.extension,
      });
      if (!options.json) {
        out(
          `Continuing goal ${goalId.slice(0, 8)} with your note (budget now ${budget.maxTurns} turns${queuePosition !== null ? `; queued at position ${queuePosition}` : ''}).`,
        );
      }
    } catch (error) {
      follower.close();
      throw error;
    }
    await follower.attach(goalId);
    return await followToEnd(client, follower, goalId, { json: options.json, out });
  } finally {
    await client.close();
  }
}
