// The New goal form's extra checks and Advanced options as plain data: the problems of each extra
// check (shown under it while typed) and the Advanced text fields turned into the goal's tool options.
import { acceptanceProblems, splitToolList } from '../../../shared/domain/acceptance-rules';
import type { AcceptanceCriterion, GoalTools } from '../../../shared/domain/goal';

/** Problems of the extra checks, by index in `value` (their messages). */
export function acceptanceCheckErrors(value: readonly AcceptanceCriterion[]): Map<number, string[]> {
  const errors = new Map<number, string[]>();
  for (const problem of acceptanceProblems(value)) {
    const index = problem.path[1];
    if (typeof index !== 'number') continue;
    errors.set(index, [...(errors.get(index) ?? []), problem.message.replace(/^acceptance \d+ \([a-z_]+\): /, '')]);
  }
  return errors;
}

export interface ToolsDraft {
  allowed: string;
  disallowed: string;
  addDirs: string;
  appendSystemPrompt: string;
}

export const EMPTY_TOOLS_DRAFT: ToolsDraft = { allowed: '', disallowed: '', addDirs: '', appendSystemPrompt: '' };

export function toolsFromDraft(draft: ToolsDraft): GoalTools {
  return {
    allowed: splitToolList(draft.allowed),
    disallowed: splitToolList(draft.disallowed),
    addDirs: draft.addDirs
      .split('\n')
      .map((dir) => dir.trim())
      .filter((dir) => dir !== ''),
    appendSystemPrompt: draft.appendSystemPrompt.trim() === '' ? null : draft.appendSystemPrompt,
  };
}
