// The commit message drafted for a goal's work: the goal's first line as the subject, then the
// whole description, how many turns it took and how its acceptance checks ended.
import { describeCriterion } from '../../shared/domain/acceptance-rules.js';
import type { Goal, GoalStatus } from '../../shared/domain/goal.js';
import type { TurnRecord } from '../store/index.js';

function subject(description: string): string {
  const first = description.split('\n').find((line) => line.trim() !== '')?.trim() ?? 'Work by Claude';
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
}

export function draftCommitMessage(goal: Goal, status: GoalStatus, turns: readonly TurnRecord[]): string {
  const counted = new Set(turns.filter((turn) => !turn.compact).map((turn) => turn.turnIndex)).size;
  const lastVerdict = [...turns].reverse().find((turn) => turn.acceptance !== null)?.acceptance ?? null;
  const lines = [subject(goal.description), ''];
  const rest = goal.description.trim();
  if (rest !== subject(goal.description)) lines.push(rest, '');
  lines.push(`Goal ${goal.id.slice(0, 8)} (${status}) in ${counted} turn${counted === 1 ? '' : 's'} with Claude Code, supervised in Overseer.`);
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

/** The note handed to Claude when a rebase conflicts. */
export function conflictNote(onto: string, files: readonly string[]): string {
  return [
    `Rebasing this work onto the latest ${onto} conflicts in: ${files.join(', ')}.`,
    `Look at what changed on ${onto} (\`git log HEAD..${onto}\`, \`git diff HEAD...${onto} -- <file>\`) and adapt the work so it applies cleanly on top of it, keeping both intents.`,
  ].join('\n');
}
