// Flags of the commands that act on one goal (resume, cancel, pause, interrupt, diff, rollback,
// delete, logs): parsed and checked here, with a message naming the flag for every bad value.
import { parseArgs } from 'node:util';
import { UsageError } from './usage.js';
import { RUNNER_FLAG_OPTIONS, runnerTarget, type NatsFlagValues, type RunnerTarget } from './nats-flags.js';

interface Common {
  goal: string | undefined;
  json: boolean;
  dataDir: string | null;
  help: boolean;
  /** `--runner NAME`: act on that runner over NATS. */
  runner: RunnerTarget | null;
}

export type GoalCommandOptions =
  | (Common & { command: 'resume' | 'cancel' | 'pause' })
  | (Common & { command: 'interrupt'; note: string; stopTurn: boolean })
  | (Common & { command: 'diff'; turn: number | null; stat: boolean; hunks: boolean })
  | (Common & { command: 'rollback'; turn: number; after: boolean })
  | (Common & { command: 'delete'; force: boolean; keepBranch: boolean })
  | (Common & { command: 'logs'; follow: boolean });

export type GoalCommandName = GoalCommandOptions['command'];

const common = {
  json: { type: 'boolean', default: false },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  ...RUNNER_FLAG_OPTIONS,
} as const;

/** The string-valued flags (parseArgs types every flag of a merged table as string | boolean). */
function stringsOnly(values: Record<string, unknown>): NatsFlagValues & { runner?: string } {
  const picked: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (typeof value === 'string') picked[key] = value;
  return picked;
}

/** `--turn N` as the user counts turns (1 = the first). */
export function parseTurnNumber(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1)
    throw new UsageError(`--turn must be a turn number (1 = the first turn), got "${value}"`);
  return n;
}

export function parseGoalCommand(command: GoalCommandName, argv: string[]): GoalCommandOptions {
  const parse = <O extends Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean }>>(
    options: O,
  ) => parseArgs({ args: argv, options: { ...common, ...options }, strict: true, allowPositionals: true });
  const base = (
    values: {
      json?: boolean | string;
      'data-dir'?: string | boolean;
      help?: boolean | string;
      runner?: string | boolean;
    } & { [K in keyof NatsFlagValues]?: string | boolean },
    positionals: string[],
  ): Common => {
    if (positionals.length > 1)
      throw new UsageError(`expected one GOAL, got ${positionals.length}: ${positionals.join(' ')}`);
    return {
      goal: positionals[0],
      json: values.json === true,
      dataDir: typeof values['data-dir'] === 'string' ? values['data-dir'] : null,
      help: values.help === true,
      runner: values.help === true ? null : runnerTarget(stringsOnly(values)),
    };
  };
  const need = (c: Common): Common => {
    if (!c.help && c.goal === undefined)
      throw new UsageError('which goal? give its id or the start of it (see `overseer goals`)');
    return c;
  };
  switch (command) {
    case 'resume':
    case 'cancel':
    case 'pause': {
      const { values, positionals } = parse({});
      return { ...need(base(values, positionals)), command };
    }
    case 'interrupt': {
      const { values, positionals } = parse({
        note: { type: 'string' },
        'stop-turn': { type: 'boolean', default: false },
      });
      const c = need(base(values, positionals));
      const note = values.note ?? '';
      if (!c.help && note.trim() === '')
        throw new UsageError('--note TEXT is required (what Claude should hear at the next turn)');
      return { ...c, command, note, stopTurn: values['stop-turn'] };
    }
    case 'diff': {
      const { values, positionals } = parse({
        turn: { type: 'string' },
        stat: { type: 'boolean', default: false },
        hunks: { type: 'boolean', default: false },
      });
      const c = need(base(values, positionals));
      if (values.stat && values.hunks) throw new UsageError('--stat and --hunks do not go together: choose one');
      return {
        ...c,
        command,
        turn: values.turn === undefined ? null : parseTurnNumber(values.turn),
        stat: values.stat,
        hunks: values.hunks,
      };
    }
    case 'rollback': {
      const { values, positionals } = parse({ turn: { type: 'string' }, after: { type: 'boolean', default: false } });
      const c = need(base(values, positionals));
      if (!c.help && values.turn === undefined)
        throw new UsageError('--turn N is required (the files go back to how they were before turn N)');
      return { ...c, command, turn: values.turn === undefined ? 1 : parseTurnNumber(values.turn), after: values.after };
    }
    case 'delete': {
      const { values, positionals } = parse({
        force: { type: 'boolean', default: false },
        'keep-branch': { type: 'boolean', default: false },
      });
      return { ...need(base(values, positionals)), command, force: values.force, keepBranch: values['keep-branch'] };
    }
    case 'logs': {
      const { values, positionals } = parse({ follow: { type: 'boolean', short: 'f', default: false } });
      return { ...need(base(values, positionals)), command, follow: values.follow };
    }
  }
}
