// The commit message drafted for a goal's work: the goal's first line as the subject, then the
// whole description, how many turns it took and how its acceptance checks ended.
import { describeCriterion } from '../../shared/domain/acceptance-rules.js';
import type { Goal, GoalStatus } from '../../shared/domain/goal.js';
import { describeConflict, type FileConflict } from '../../shared/domain/landing.js';
import type { TurnRecord } from '../store/index.js';

function subject(description: string): string {
  const first =
    description
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? 'Work by Claude';
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
}

export function draftCommitMessage(goal: Goal, status: GoalStatus, turns: readonly TurnRecord[]): string {
  const counted = new Set(turns.filter((turn) => !turn.compact).map((turn) => turn.turnIndex)).size;
  const lastVerdict = [...turns].reverse().find((turn) => turn.acceptance !== null)?.acceptance ?? null;
  const lines = [subject(goal.description), ''];
  const rest = goal.description.trim();
  if (rest !== subject(goal.description)) lines.push(rest, '');
  lines.push(
    `Goal ${goal.id.slice(0, 8)} (${status}) in ${counted} turn${counted === 1 ? '' : 's'} with Claude Code, supervised in Overseer.`,
  );
  if (goal.acceptance.length > 0) {
    lines.push('', 'Acceptance:');
    for (const [index, criterion] of goal.acceptance.entries()) {
      const label = describeCriterion(criterion);
      const failed = lastVerdict?.failures.some((failure) => failure.criterionIndex === index) ?? false;
      const verdict = lastVerdict === null ? 'not run' : failed ? 'failing' : 'passing';
      lines.push(`- ${label}: ${verdict}`);
    }
  }
  return lines.join('\n');
}

/**
 * The note handed to Claude when a rebase conflicts: each file and how it conflicts, then what to
 * do. Overseer aborted its own rebase, so Claude brings the base in with git in the worktree; a
 * later "Rebase onto <base>" then finds the branch already on top of it.
 */
export function conflictNote(onto: string, conflicts: readonly FileConflict[]): string {
  return [
    `Rebasing this work onto the latest ${onto} conflicts in ${conflicts.length} file${conflicts.length === 1 ? '' : 's'}:`,
    ...conflicts.map((conflict) => `- ${conflict.path}: ${describeConflict(conflict.kind, onto)}`),
    `That rebase was undone: this worktree and its branch are as you left them. Bring ${onto}'s changes into this work here: see what ${onto} changed in those files (\`git log -p HEAD..${onto} -- <file>\`), commit the work on this branch (\`git add -A && git commit -m "Work in progress"\`), run \`git rebase ${onto}\`, resolve each conflict keeping both intents, then \`git add <file>\` and \`git rebase --continue\` until the rebase is done. Check the goal still holds afterwards.`,
  ].join('\n');
}
