// `overseer diff GOAL [--turn N] [--stat | --hunks]`: the goal's whole change so far (or one turn's) as a
// plain unified diff — every file, uncut, binary files as git binary patches — so it can be piped
// to `git apply` on a checkout of the goal's base; --hunks numbers each file's hunks for `overseer revert`.
import type { DiffStat } from '../../shared/domain/goal.js';
import { splitHunks } from '../workspace/index.js';
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

/**
 * Each file of a whole patch with its hunks numbered from 1 (as `overseer revert --hunk N` takes
 * them): the patch's `diff --git` sections follow the stat's files in order (a type change prints
 * two sections, the old file deleted and the new one created).
 */
export function formatHunks(stat: DiffStat, patch: string): string[] {
  if (stat.files.length === 0) return ['no changes'];
  const sections = patch === '' ? [] : patch.split(/(?<=\n)(?=diff --git )/);
  const lines: string[] = [];
  let at = 0;
  for (const file of stat.files) {
    const count = file.status === 'type_changed' ? 2 : 1;
    const text = sections.slice(at, at + count).join('');
    at += count;
    const name = file.oldPath !== null && file.oldPath !== file.path ? `${file.oldPath} => ${file.path}` : file.path;
    lines.push(`${name} (${file.status})`);
    const hunks = splitHunks(text).hunks;
    if (file.binary || hunks.length === 0) {
      lines.push('  no hunks (binary or mode only): revert the whole file');
      continue;
    }
    if (file.status === 'type_changed') {
      lines.push('  type changed: revert the whole file');
      continue;
    }
    hunks.forEach((hunk, index) => {
      const header = hunk.slice(0, hunk.indexOf('\n') === -1 ? hunk.length : hunk.indexOf('\n'));
      const added = hunk.split('\n').filter((line) => line.startsWith('+')).length;
      const removed = hunk.split('\n').filter((line) => line.startsWith('-')).length;
      lines.push(`  hunk ${index + 1}  ${header}  +${added} -${removed}`);
    });
  }
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
          ...(options.hunks ? { hunks: formatHunks(result.stat, result.patch) } : {}),
        }),
      );
    } else if (options.hunks) {
      for (const line of formatHunks(result.stat, result.patch)) out(line);
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
