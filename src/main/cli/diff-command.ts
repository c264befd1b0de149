// `overseer diff GOAL [--turn N] [--stat]`: the goal's whole change so far (or one turn's) as a
// plain unified diff — every file, uncut, binary files as git binary patches — so it can be piped
// to `git apply` on a checkout of the goal's base.
import type { DiffStat } from '../../shared/domain/goal.js';
import { openHostClient } from './host-client/connect.js';
import { resolveGoal } from './goal-ref.js';
import { parseGoalCommand } from './goal-command-options.js';
import { GOAL_COMMAND_HELP } from './usage.js';

/** git's --stat, roughly: one line per file and a total. */
export function formatStat(stat: DiffStat): string[] {
  if (stat.files.length === 0) return ['no changes'];
  const names = stat.files.map((file) =>
    file.oldPath !== null && file.oldPath !== file.path ? `${file.oldPath} => ${file.path}` : file.path,
  );
  const width = Math.min(60, Math.max(...names.map((name) => name.length)));
  const lines = stat.files.map((file, i) => {
    const change = file.binary
      ? 'Bin'
      : `${file.added + file.removed} ${'+'.repeat(Math.min(file.added, 30))}${'-'.repeat(Math.min(file.removed, 30))}`;
    return ` ${(names[i] ?? '').padEnd(width)} | ${change}`;
  });
  lines.push(` ${stat.files.length} file(s) changed, ${stat.added} insertion(s)(+), ${stat.removed} deletion(s)(-)`);
  return lines;
}

export async function diffCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseGoalCommand('diff', argv);
  if (options.command !== 'diff') return 1;
  if (options.help) return (out(GOAL_COMMAND_HELP.diff), 0);
  const client = await openHostClient({ dataDir: options.dataDir, runner: options.runner });
  try {
    const goal = await resolveGoal(client, options.goal);
    const result = await client.invoke('goal.patch', {
      goalId: goal.id,
      turnIndex: options.turn === null ? null : options.turn - 1,
    });
    if (options.json) {
      out(
        JSON.stringify({
          goalId: goal.id,
          turn: options.turn,
          from: result.from,
          to: result.to,
          stat: result.stat,
          ...(options.stat ? {} : { patch: result.patch }),
        }),
      );
    } else if (options.stat) {
      for (const line of formatStat(result.stat)) out(line);
    } else if (result.patch !== '') {
      // Exactly git's bytes: `out` adds the final newline back.
      out(result.patch.endsWith('\n') ? result.patch.slice(0, -1) : result.patch);
    } else
      process.stderr.write(`overseer diff: no changes${options.turn === null ? '' : ` in turn ${options.turn}`}\n`);
    return 0;
  } finally {
    await client.close();
  }
}
