// `overseer run` flags for acceptance criteria and per-goal Claude tool options. Acceptance flags are
// read in command-line order: `--accept-exit`, `--accept-stdout` and `--accept-timeout` refine the
// `--accept CMD` before them. The criteria rules themselves (bad regex, escaping path...) are checked
// with the console's, in run.ts, before anything is recorded.
import { resolve } from 'node:path';
import { parseDuration } from '../../shared/domain/duration.js';
import { splitToolList } from '../../shared/domain/acceptance-rules.js';
import type { AcceptanceCriterion, GoalTools } from '../../shared/domain/goal.js';
import { UsageError } from './usage.js';

export const ACCEPTANCE_FLAG_OPTIONS = {
  accept: { type: 'string', multiple: true },
  'accept-exit': { type: 'string', multiple: true },
  'accept-stdout': { type: 'string', multiple: true },
  'accept-timeout': { type: 'string', multiple: true },
  'accept-file': { type: 'string', multiple: true },
  'accept-clean': { type: 'boolean', default: false },
  forbid: { type: 'string', multiple: true },
  judge: { type: 'string', multiple: true },
} as const;

export const TOOL_FLAG_OPTIONS = {
  'allowed-tools': { type: 'string', multiple: true },
  'disallowed-tools': { type: 'string', multiple: true },
  'add-dir': { type: 'string', multiple: true },
  'append-system-prompt': { type: 'string' },
} as const;

/** Default time limit of an acceptance command (5 minutes, as in the console). */
const DEFAULT_ACCEPT_TIMEOUT_SECS = 300;

type Token = { kind: string; name?: string; value?: string | undefined };

/** Criteria from the flags, in command-line order (`--accept-clean` last; `--forbid` globs make one criterion). */
export function acceptanceFlags(tokens: readonly Token[] | undefined): AcceptanceCriterion[] {
  const criteria: AcceptanceCriterion[] = [];
  const forbid: string[] = [];
  let clean = false;
  let lastCommand: Extract<AcceptanceCriterion, { kind: 'shell_command' }> | null = null;
  const refine = (flag: string): Extract<AcceptanceCriterion, { kind: 'shell_command' }> => {
    if (lastCommand === null)
      throw new UsageError(`${flag} refines the --accept CMD before it: put it after an --accept`);
    return lastCommand;
  };
  for (const token of tokens ?? []) {
    if (token.kind !== 'option') continue;
    const value = token.value ?? '';
    switch (token.name) {
      case 'accept':
        if (value.trim() === '') throw new UsageError('--accept needs a command');
        lastCommand = {
          kind: 'shell_command',
          command: value,
          expectedExit: 0,
          stdoutMustMatch: null,
          timeoutSecs: DEFAULT_ACCEPT_TIMEOUT_SECS,
        };
        criteria.push(lastCommand);
        break;
      case 'accept-exit': {
        const code = Number(value);
        if (!Number.isInteger(code))
          throw new UsageError(
            `--accept-exit must be a whole number (the exit code the command must end with), got "${value}"`,
          );
        refine('--accept-exit').expectedExit = code;
        break;
      }
      case 'accept-stdout':
        refine('--accept-stdout').stdoutMustMatch = value;
        break;
      case 'accept-timeout': {
        const parsed = parseDuration(value);
        if (!parsed.ok || parsed.ms < 1000)
          throw new UsageError(`--accept-timeout must be a duration of at least 1s such as 90s or 10m, got "${value}"`);
        refine('--accept-timeout').timeoutSecs = Math.ceil(parsed.ms / 1000);
        break;
      }
      case 'accept-file': {
        const colon = value.indexOf(':');
        if (colon <= 0)
          throw new UsageError(
            `--accept-file takes PATH:REGEX (the file, relative to the worktree, and what it must match), got "${value}"`,
          );
        criteria.push({
          kind: 'file_matches',
          path: value.slice(0, colon),
          regex: value.slice(colon + 1),
          required: true,
        });
        break;
      }
      case 'accept-clean':
        clean = true;
        break;
      case 'forbid':
        if (value.trim() === '') throw new UsageError('--forbid needs a glob');
        forbid.push(value);
        break;
      case 'judge':
        if (value.trim() === '') throw new UsageError('--judge needs the criteria the judge must check');
        criteria.push({ kind: 'llm_judge', criterionText: value });
        break;
    }
  }
  if (forbid.length > 0) criteria.push({ kind: 'no_paths_touched', globs: forbid });
  if (clean) criteria.push({ kind: 'git_clean' });
  return criteria;
}

export function toolFlags(values: {
  'allowed-tools'?: string[] | undefined;
  'disallowed-tools'?: string[] | undefined;
  'add-dir'?: string[] | undefined;
  'append-system-prompt'?: string | undefined;
}): GoalTools {
  const prompt = values['append-system-prompt'];
  return {
    allowed: (values['allowed-tools'] ?? []).flatMap(splitToolList),
    disallowed: (values['disallowed-tools'] ?? []).flatMap(splitToolList),
    // Relative to where `overseer run` was started.
    addDirs: (values['add-dir'] ?? []).map((dir) => resolve(dir)),
    appendSystemPrompt: prompt !== undefined && prompt.trim() !== '' ? prompt : null,
  };
}
