// `overseer land GOAL`: without a step, shows what landing would do (branch, base, files not
// committed anywhere, whether a rebase or a PR is possible); with --commit, --merge [--no-squash],
// --rebase or --pr it runs that step through the host's land.* commands, like the console's Land
// panel. Exit codes: 0 done; 1 bad input or the step was refused (the message says why); 4 rebase
// conflicts (files listed; with --hand-to-claude the conflict note was also handed to Claude).
import { parseArgs } from 'node:util';
import { describeConflict } from '../../shared/domain/landing.js';
import { CommandFailed, resolveGoalId, withHostCommands } from './host-commands.js';
import type { BudgetExtension } from '../../shared/commands/land.js';
import { parseDuration } from '../../shared/domain/duration.js';
import { LAND_HELP, UsageError } from './usage-land.js';
import { handOffConflict } from './land-handoff.js';
import { wholeNumberFlag } from './number-flags.js';

/** --extra-turns (default 3), --extra-wall, --extra-tokens, --extra-cost: what Claude may use on a handed-over conflict. */
function budgetExtension(values: {
  'extra-turns'?: string;
  'extra-wall'?: string;
  'extra-tokens'?: string;
  'extra-cost'?: string;
}): BudgetExtension {
  const whole = (name: string, text: string): number => wholeNumberFlag(name, text, { min: 1 });
  const extend: BudgetExtension = {
    turns: values['extra-turns'] === undefined ? 3 : whole('--extra-turns', values['extra-turns']),
  };
  if (values['extra-wall'] !== undefined) {
    const wall = parseDuration(values['extra-wall']);
    if (!wall.ok || wall.ms <= 0)
      throw new UsageError(`--extra-wall: ${wall.ok ? 'must be more than nothing' : wall.error}`);
    extend.wallTimeMs = wall.ms;
  }
  if (values['extra-tokens'] !== undefined) extend.tokens = whole('--extra-tokens', values['extra-tokens']);
  if (values['extra-cost'] !== undefined) {
    const cost = Number(values['extra-cost']);
    if (!Number.isFinite(cost) || cost <= 0)
      throw new UsageError(`--extra-cost must be an amount in USD such as 2.50, got "${values['extra-cost']}"`);
    extend.costUsd = cost;
  }
  return extend;
}
import { RUNNER_FLAG_OPTIONS, runnerTarget } from './nats-flags.js';

export async function landCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      commit: { type: 'boolean', default: false },
      merge: { type: 'boolean', default: false },
      'no-squash': { type: 'boolean', default: false },
      rebase: { type: 'boolean', default: false },
      pr: { type: 'boolean', default: false },
      'per-turn': { type: 'boolean', default: false },
      message: { type: 'string' },
      into: { type: 'string' },
      'hand-to-claude': { type: 'boolean', default: false },
      'extra-turns': { type: 'string' },
      'extra-wall': { type: 'string' },
      'extra-tokens': { type: 'string' },
      'extra-cost': { type: 'string' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...RUNNER_FLAG_OPTIONS,
    },
  });
  if (values.help) return (out(LAND_HELP), 0);
  const steps = (['commit', 'merge', 'rebase', 'pr'] as const).filter((step) => values[step]);
  if (steps.length > 1)
    throw new UsageError(
      `choose one of --commit, --merge, --rebase, --pr (got ${steps.map((s) => `--${s}`).join(', ')})`,
    );
  if (values['no-squash'] && !values.merge) throw new UsageError('--no-squash goes with --merge');
  const step = steps[0] ?? null;
  const handOff = values['hand-to-claude'] ? budgetExtension(values) : null;
  if (
    handOff === null &&
    (['extra-turns', 'extra-wall', 'extra-tokens', 'extra-cost'] as const).some((name) => values[name] !== undefined)
  ) {
    throw new UsageError('--extra-turns, --extra-wall, --extra-tokens and --extra-cost go with --hand-to-claude');
  }
  if (handOff !== null && step !== 'rebase') throw new UsageError('--hand-to-claude goes with --rebase');
  const into = values.into !== undefined ? { into: values.into } : {};
  const runner = runnerTarget(values);
  try {
    return await withHostCommands(
      values['data-dir'] ?? null,
      async (invoke, client) => {
        const goalId = await resolveGoalId(client, positionals[0]);
        const preview = await invoke('land.preview', { goalId });
        const message = values.message ?? preview.draftMessage;
        const print = (value: unknown, line: string): void => out(values.json ? JSON.stringify(value) : line);
        switch (step) {
          case null: {
            if (values.json) return (out(JSON.stringify(preview)), 0);
            if (preview.kind === 'none') return (out(`Nothing to land: ${preview.reason ?? 'no workspace'}`), 0);
            out(
              `Goal ${goalId.slice(0, 8)} works in ${preview.workspacePath ?? '?'}${preview.kind === 'in_place' ? ' (in place)' : ''}`,
            );
            if (preview.branch !== null)
              out(
                `  branch ${preview.branch}${preview.baseBranch !== null ? `, base ${preview.baseBranch}` : ''}${preview.baseMoved ? ' (the base moved: --rebase first, or --merge makes a merge)' : ''}`,
              );
            out(`  ${preview.uncommittedFiles} changed file(s) not committed anywhere`);
            if (preview.landed !== null) out(`  landed: ${preview.landed.landing.message}`);
            if (preview.kind === 'worktree') {
              out(
                `  pull request: ${preview.prMissing === null ? 'available (--pr)' : `not available: ${preview.prMissing}`}`,
              );
              out('Land with: --commit | --merge [--no-squash] | --rebase | --pr   [--message TEXT]');
            } else out('Land with: --commit [--message TEXT]');
            return 0;
          }
          case 'commit': {
            const landing = await invoke('land.commit', { goalId, message, perTurn: values['per-turn'] });
            print(landing, landing.message);
            return 0;
          }
          case 'merge': {
            const landing = await invoke('land.merge', { goalId, message, squash: !values['no-squash'], ...into });
            print(landing, landing.message);
            return 0;
          }
          case 'rebase': {
            const result = await invoke('land.rebase', { goalId, ...into });
            if (result.ok) {
              print(result, result.landing?.message ?? 'rebased');
              return 0;
            }
            if (!values.json) {
              out(`Rebase stopped on conflicts; everything is as it was. Conflicting files:`);
              for (const conflict of result.conflicts)
                out(`  ${conflict.path}: ${describeConflict(conflict.kind, result.onto)}`);
            }
            if (handOff === null || result.conflictNote === null) {
              if (values.json) out(JSON.stringify(result));
              else
                out(
                  `Hand it to Claude: overseer land ${goalId.slice(0, 8)} --rebase --hand-to-claude [--extra-turns N]`,
                );
              return 4;
            }
            const handed = await handOffConflict(
              client,
              invoke,
              goalId,
              { note: result.conflictNote, extend: handOff },
              { json: values.json, out },
            );
            if (values.json) out(JSON.stringify({ ...result, handedToClaude: handed }));
            return 4;
          }
          case 'pr': {
            if (preview.prMissing !== null)
              throw new CommandFailed('failed_precondition', `cannot open a pull request: ${preview.prMissing}`);
            const [title = message, ...body] = message.split('\n');
            const landing = await invoke('land.pr', {
              goalId,
              title: title.trim() === '' ? 'Work by Claude' : title,
              body: body.join('\n').trim(),
              ...into,
            });
            print(landing, landing.message);
            return 0;
          }
        }
      },
      runner,
    );
  } catch (error) {
    if (error instanceof CommandFailed) {
      process.stderr.write(`overseer land: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
