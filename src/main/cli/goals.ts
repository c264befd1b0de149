// `overseer goals` and `overseer show GOAL`: read the console's data directory (safe while the
// console runs: they only read).
import { parseArgs } from 'node:util';
import { prepareDataDir } from '../paths.js';
import { openStores, type Stores } from '../store/index.js';
import { toGoalSummary, toTurnSummary } from '../host/index.js';
import { formatDuration } from '../../shared/domain/duration.js';
import { describeCriterion } from '../../shared/domain/acceptance-rules.js';
import { UsageError, GOALS_HELP, SHOW_HELP } from './usage.js';
import { matchGoalRef } from './goal-ref.js';
import { RUNNER_FLAG_OPTIONS, runnerTarget } from './nats-flags.js';
import type { GoalSummary } from '../../shared/domain/views.js';
import { GoalStatusSchema, type GoalStatus } from '../../shared/domain/goal.js';
import { GOAL_LIST_DEFAULT_LIMIT, GOAL_LIST_MAX_LIMIT } from '../../shared/domain/goal-list.js';
import { wholeNumberFlag } from './number-flags.js';

function withStores<T>(dataDir: string | undefined, action: (stores: Stores) => T): T {
  const paths = prepareDataDir(dataDir);
  const stores = openStores(paths.database);
  try {
    return action(stores);
  } finally {
    stores.close();
  }
}

const commonOptions = {
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const listOptions = {
  limit: { type: 'string' },
  all: { type: 'boolean', default: false },
  status: { type: 'string' },
} as const;

/** `--status a,b`: only goals in those statuses; undefined when not given. */
function listStatuses(value: string | undefined): GoalStatus[] | undefined {
  if (value === undefined) return undefined;
  const known: readonly string[] = GoalStatusSchema.options;
  const isStatus = (part: string): part is GoalStatus => known.includes(part);
  const parts = value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const unknown = parts.filter((part) => !isStatus(part));
  if (parts.length === 0 || unknown.length > 0)
    throw new UsageError(
      `--status takes one or more of ${known.join(', ')} (comma-separated)${unknown.length > 0 ? `; not a status: ${unknown.join(', ')}` : ''}`,
    );
  return [...new Set(parts.filter(isStatus))];
}

/** `--limit N` or `--all` (not both); the default list's size when neither is given. */
function listLimit(values: { limit?: string | undefined; all: boolean }): number {
  if (values.all && values.limit !== undefined) throw new UsageError('give --limit or --all, not both');
  if (values.all) return GOAL_LIST_MAX_LIMIT;
  if (values.limit === undefined) return GOAL_LIST_DEFAULT_LIMIT;
  return wholeNumberFlag('--limit', values.limit, { min: 1, max: GOAL_LIST_MAX_LIMIT, unit: 'of goals' });
}

export async function goalsCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...commonOptions, ...listOptions, ...RUNNER_FLAG_OPTIONS },
    strict: true,
  });
  if (values.help) return (out(GOALS_HELP), 0);
  const limit = listLimit(values);
  const statuses = listStatuses(values.status);
  const runner = runnerTarget(values);
  if (runner !== null) {
    // Loaded only for a runner: the host client brings the whole host with it.
    const { openHostClient } = await import('./host-client/connect.js');
    const client = await openHostClient({ dataDir: null, runner });
    try {
      const listed = await client.invoke('goals.list', { limit, ...(statuses === undefined ? {} : { statuses }) });
      return printGoals(listed.goals, listed.total, statuses, values.json, out);
    } finally {
      await client.close();
    }
  }
  return withStores(values['data-dir'], (stores) => {
    const { rows, total } = stores.goals.newest(limit, statuses);
    return printGoals(rows.map(toGoalSummary), total, statuses, values.json, out);
  });
}

/**
 * Prints the list; `total` (how many goals there are, in `statuses` when given, when known) adds a
 * last line saying how many the list left out. With --json stdout holds the list alone, and that line
 * goes to stderr.
 */
function printGoals(
  goals: GoalSummary[],
  total: number | undefined,
  statuses: GoalStatus[] | undefined,
  json: boolean,
  out: (line: string) => void,
): number {
  const left = total === undefined ? 0 : total - goals.length;
  const which = statuses === undefined ? 'goals' : `${statuses.join(' or ')} goals`;
  const leftOut =
    left > 0
      ? `Showing the newest ${goals.length} of ${total} ${which} (--all lists every one, --limit N the newest N).`
      : null;
  if (json) {
    out(JSON.stringify(goals));
    if (leftOut !== null) process.stderr.write(`overseer goals: ${leftOut}\n`);
  } else if (goals.length === 0)
    out(
      statuses === undefined
        ? 'No goals yet. Start one with `overseer run` or in the console.'
        : `No ${statuses.join(' or ')} goals.`,
    );
  else {
    out('ID        STATUS            TURNS   TOKENS     COST  DESCRIPTION');
    for (const g of goals) {
      const turns = `${g.turns}/${g.maxTurns}`;
      out(
        `${g.id.slice(0, 8)}  ${g.status.padEnd(16)}  ${turns.padStart(5)}  ${String(g.tokens).padStart(7)}  ${('$' + g.costUsd.toFixed(2)).padStart(7)}  ${g.description.replace(/\s+/g, ' ').slice(0, 60)}`,
      );
    }
    if (leftOut !== null) out(leftOut);
  }
  return 0;
}

export async function showCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: commonOptions,
    strict: true,
    allowPositionals: true,
  });
  if (values.help) return (out(SHOW_HELP), 0);
  const ref = positionals[0];
  if (ref === undefined) throw new UsageError('which goal? give its id or the start of it (see `overseer goals`)');
  return withStores(values['data-dir'], (stores) => {
    const match = matchGoalRef(stores.goals.list({ limit: GOAL_LIST_MAX_LIMIT }).map(toGoalSummary), ref);
    const record = stores.goals.get(match.id);
    if (record === null) throw new UsageError(`no goal ${ref}`);
    const turns = stores.turns.briefsForGoal(record.goal.id).map(toTurnSummary);
    if (values.json) {
      out(
        JSON.stringify({
          goal: record.goal,
          status: record.status,
          usage: record.usage,
          outcome: record.outcome,
          turns,
        }),
      );
      return 0;
    }
    out(`Goal ${record.goal.id}`);
    out(`  ${record.goal.description}`);
    out(`  status ${record.status}; repository ${record.goal.repoPath}${record.goal.inPlace ? ' (in place)' : ''}`);
    out(
      `  usage: ${record.totalTurns}/${record.goal.budget.maxTurns} turns, ${record.usage.tokens} tokens, $${record.usage.costUsd.toFixed(4)}, ${formatDuration(record.usage.wallTimeMs)}`,
    );
    for (const c of record.goal.acceptance) out(`  accept: ${describeCriterion(c)}`);
    if (record.outcome !== null)
      out(
        `  outcome: ${record.outcome.outcome.kind}${record.outcome.error !== null ? ` (${record.outcome.error})` : ''}`,
      );
    out('Turns:');
    if (turns.length === 0) out('  (none)');
    for (const t of turns) {
      const stat =
        t.diffStat === null ? '' : `  ${t.diffStat.files} file(s) +${t.diffStat.added} −${t.diffStat.removed}`;
      out(
        `  ${String(t.turnIndex + 1).padStart(3)}${t.attempt > 1 ? `.${t.attempt}` : '  '} ${t.compact ? 'compact ' : ''}${t.outcome?.kind ?? t.status}  ${t.tokens} tokens${stat}`,
      );
    }
    return 0;
  });
}
