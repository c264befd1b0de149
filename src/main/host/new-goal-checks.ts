// The checks a new goal's options must pass before it is recorded and before any turn runs, shared
// by `goal.create` (console) and `overseer run` (CLI): the criteria rules every client applies (bad
// regex, a path leaving the worktree, an empty command...) plus what only the host can see (that
// each extra directory exists).
import { statSync } from 'node:fs';
import { acceptanceProblems, toolsProblems, type GoalOptionProblem } from '../../shared/domain/acceptance-rules.js';
import type { AcceptanceCriterion, GoalTools } from '../../shared/domain/goal.js';

export function newGoalProblems(options: {
  acceptance: readonly AcceptanceCriterion[];
  tools: GoalTools;
}): GoalOptionProblem[] {
  const problems = [...acceptanceProblems(options.acceptance), ...toolsProblems(options.tools)];
  for (const dir of options.tools.addDirs) {
    if (!dir.startsWith('/')) continue; // already reported
    let isDirectory = false;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch {
      // missing
    }
    if (!isDirectory)
      problems.push({
        path: ['tools', 'addDirs'],
        message: `extra directory ${dir} does not exist or is not a folder`,
      });
  }
  return problems;
}

/** One message for all problems (the first, and how many more). */
export function problemsMessage(problems: readonly GoalOptionProblem[]): string {
  const [first] = problems;
  if (first === undefined) return '';
  return problems.length === 1
    ? first.message
    : `${first.message} (and ${problems.length - 1} more problem${problems.length === 2 ? '' : 's'})`;
}
