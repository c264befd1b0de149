// `overseer revert GOAL --file PATH [--hunk N] [--turn N]`: reverts one file, or one hunk of it, of
// the goal's whole change so far (or of turn N's) in the goal's worktree, exactly as the console's
// "Revert file" / "Revert hunk" do (the same host command): refused while a turn runs, and when the
// file changed since so the patch no longer applies (then nothing changes). Hunks are numbered as
// `overseer diff GOAL --hunks` lists them.
import { parseArgs } from 'node:util';
import { openHostClient } from './host-client/connect.js';
import { resolveGoal } from './goal-ref.js';
import { parseTurnNumber } from './goal-command-options.js';
import { RUNNER_FLAG_OPTIONS, runnerTarget, type RunnerTarget } from './nats-flags.js';
import { REVERT_HELP, UsageError } from './usage.js';

export interface RevertOptions {
  goal: string;
  file: string;
  hunk: number | null;
  turn: number | null;
  json: boolean;
  dataDir: string | null;
  runner: RunnerTarget | null;
  help: boolean;
}

export function parseRevertOptions(argv: string[]): RevertOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      file: { type: 'string' },
      hunk: { type: 'string' },
      turn: { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...RUNNER_FLAG_OPTIONS,
    },
  });
  const base = { json: values.json, dataDir: values['data-dir'] ?? null, help: values.help };
  if (values.help) return { ...base, goal: '', file: '', hunk: null, turn: null, runner: null };
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'which goal? give its id or the start of it (see `overseer goals`)'
        : `expected one GOAL, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  const file = values.file ?? '';
  if (file.trim() === '')
    throw new UsageError('--file PATH is required (the file as `overseer diff GOAL --stat` names it)');
  let hunk: number | null = null;
  if (values.hunk !== undefined) {
    hunk = Number(values.hunk);
    if (!/^\s*\d+\s*$/.test(values.hunk) || !Number.isSafeInteger(hunk) || hunk < 1)
      throw new UsageError(
        `--hunk must be a hunk number (1 = the file's first, see overseer diff GOAL --hunks), got "${values.hunk}"`,
      );
  }
  return {
    ...base,
    goal: positionals[0] ?? '',
    file,
    hunk,
    turn: values.turn === undefined ? null : parseTurnNumber(values.turn),
    runner: runnerTarget(values),
  };
}

const NOTICE_TEXT = {
  rollback_note: 'Claude reads of it with the rollback note at the next turn.',
  queued_note: 'Claude reads of it at the next turn.',
  on_continue: 'Claude reads of it when the goal is continued (overseer continue).',
} as const;

export async function revertCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseRevertOptions(argv);
  if (options.help) return (out(REVERT_HELP), 0);
  const client = await openHostClient({ dataDir: options.dataDir, runner: options.runner });
  try {
    const goal = await resolveGoal(client, options.goal);
    const result = await client.invoke('goal.revert', {
      goalId: goal.id,
      turnIndex: options.turn === null ? null : options.turn - 1,
      path: options.file,
      hunk: options.hunk,
    });
    if (options.json) {
      out(JSON.stringify({ goalId: goal.id, turn: options.turn, ...result }));
    } else {
      const what = result.hunk === null ? result.path : `hunk ${result.hunk} of ${result.path}`;
      const from = options.turn === null ? 'the goal’s changes' : `turn ${options.turn}’s changes`;
      out(`Goal ${goal.id.slice(0, 8)}: reverted ${what} (from ${from}). ${NOTICE_TEXT[result.notice]}`);
    }
    return 0;
  } finally {
    await client.close();
  }
}
