// Rules of acceptance criteria and per-goal tool options that the console, the CLI and the host all
// apply: how a criterion's regex is read (leading inline flags such as `(?i)` become JS flags), a
// short label for each criterion, and the checks a new goal must pass before any turn runs (a bad
// regex, a path leaving the worktree, an empty command, glob or judge text, a relative --add-dir).
import type { AcceptanceCriterion, GoalTools } from './goal.js';

export type CompiledPattern = { ok: true; source: string; flags: string } | { ok: false; error: string };

/** The inline flags a pattern may start with, and the JS flag each becomes. */
const INLINE_FLAGS: Record<string, string> = { i: 'i', m: 'm', s: 's' };
const LEADING_GROUP = /^\(\?([A-Za-z]*)\)/;

/**
 * Reads a criterion regex: leading inline-flag groups (`(?i)`, `(?ms)`, `(?i)(?s)`) become the JS
 * flags i, m and s; the rest must be a valid JavaScript regular expression. Other inline flags, and
 * flag groups later in the pattern, are refused with a message saying so.
 */
export function compilePattern(pattern: string): CompiledPattern {
  let rest = pattern;
  const flags = new Set<string>();
  for (let group = LEADING_GROUP.exec(rest); group !== null; group = LEADING_GROUP.exec(rest)) {
    for (const letter of group[1] ?? '') {
      const flag = INLINE_FLAGS[letter];
      if (flag === undefined) return { ok: false, error: `unsupported inline flag "${letter}" (use i, m or s)` };
      flags.add(flag);
    }
    rest = rest.slice(group[0].length);
  }
  if (/\(\?[a-zA-Z-]+[):]/.test(rest.replace(/\\./g, ''))) {
    return { ok: false, error: 'inline flags such as (?i) are only supported at the start of the pattern' };
  }
  const jsFlags = [...flags].sort().join('');
  try {
    new RegExp(rest, jsFlags);
  } catch (error) {
    return {
      ok: false,
      error:
        error instanceof Error
          ? error.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '')
          : String(error),
    };
  }
  return { ok: true, source: rest, flags: jsFlags };
}

/** A short label naming a criterion (failures, the timeline, `overseer show`). */
export function criterionLabel(criterion: AcceptanceCriterion): string {
  switch (criterion.kind) {
    case 'shell_command':
      return `shell:${criterion.command}`;
    case 'file_matches':
      return `file:${criterion.path}`;
    case 'git_clean':
      return 'git_clean';
    case 'no_paths_touched':
      return `no_paths_touched:${criterion.globs.join(',')}`;
    case 'llm_judge':
      return 'llm_judge';
  }
}

/** One line describing a criterion for people (`overseer show`, the goal view). */
export function describeCriterion(criterion: AcceptanceCriterion): string {
  switch (criterion.kind) {
    case 'shell_command': {
      const extras = [
        criterion.expectedExit !== 0 ? `exit ${criterion.expectedExit}` : null,
        criterion.stdoutMustMatch !== null ? `stdout ~ /${criterion.stdoutMustMatch}/` : null,
        criterion.timeoutSecs > 0 ? `timeout ${criterion.timeoutSecs}s` : null,
      ].filter((part) => part !== null);
      return `${criterion.command}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
    }
    case 'file_matches':
      return `${criterion.path} ~ /${criterion.regex}/${criterion.required ? '' : ' (if present)'}`;
    case 'git_clean':
      return 'working tree clean (nothing uncommitted)';
    case 'no_paths_touched':
      return `no changes to ${criterion.globs.join(', ')}`;
    case 'llm_judge':
      return `judge: ${criterion.criterionText}`;
  }
}

export interface GoalOptionProblem {
  /** Where in the goal request, e.g. ['acceptance', 2, 'regex']. */
  path: (string | number)[];
  message: string;
}

/** A relative path that stays inside its root once `.` and `..` are resolved (no absolute paths). */
export function staysInside(path: string): boolean {
  if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('~'))
    return false;
  let depth = 0;
  for (const part of path.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    depth += part === '..' ? -1 : 1;
    if (depth < 0) return false;
  }
  return true;
}

/** Everything wrong with a new goal's criteria, in order (empty: fine). */
export function acceptanceProblems(criteria: readonly AcceptanceCriterion[]): GoalOptionProblem[] {
  const problems: GoalOptionProblem[] = [];
  criteria.forEach((criterion, index) => {
    const at = (field: string, message: string): void => {
      problems.push({
        path: ['acceptance', index, field],
        message: `acceptance ${index + 1} (${criterion.kind}): ${message}`,
      });
    };
    switch (criterion.kind) {
      case 'shell_command': {
        if (criterion.command.trim() === '') at('command', 'the command is empty');
        if (criterion.stdoutMustMatch !== null) {
          const compiled = compilePattern(criterion.stdoutMustMatch);
          if (!compiled.ok) at('stdoutMustMatch', `bad stdout regex /${criterion.stdoutMustMatch}/: ${compiled.error}`);
        }
        break;
      }
      case 'file_matches': {
        if (criterion.path.trim() === '') at('path', 'the path is empty');
        else if (!staysInside(criterion.path))
          at('path', `${criterion.path} is outside the worktree (give a path relative to it, without leading ..)`);
        const compiled = compilePattern(criterion.regex);
        if (!compiled.ok) at('regex', `bad regex /${criterion.regex}/: ${compiled.error}`);
        break;
      }
      case 'no_paths_touched':
        if (criterion.globs.length === 0) at('globs', 'give at least one glob');
        criterion.globs.forEach((glob) => {
          if (glob.trim() === '') at('globs', 'a glob is empty');
          else if (!staysInside(glob))
            at('globs', `${glob} is outside the worktree (globs are relative to the repository root)`);
        });
        break;
      case 'llm_judge':
        if (criterion.criterionText.trim() === '') at('criterionText', 'the judge needs the criteria to judge by');
        break;
      case 'git_clean':
        break;
    }
  });
  return problems;
}

/** Everything wrong with a new goal's tool options (empty: fine). Whether extra directories exist is the host's check. */
export function toolsProblems(tools: GoalTools): GoalOptionProblem[] {
  const problems: GoalOptionProblem[] = [];
  for (const [field, list] of [
    ['allowed', tools.allowed],
    ['disallowed', tools.disallowed],
  ] as const) {
    for (const tool of list) {
      if (tool.trim() === '')
        problems.push({ path: ['tools', field], message: `${field} tools: a tool name is empty` });
    }
  }
  for (const dir of tools.addDirs) {
    if (!dir.startsWith('/'))
      problems.push({ path: ['tools', 'addDirs'], message: `extra directory ${dir} must be an absolute path` });
  }
  return problems;
}

/** Splits "Read, Grep,Bash(git diff:*)" into tool names; commas inside parentheses stay. */
export function splitToolList(text: string): string[] {
  const tools: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth = Math.max(0, depth - 1);
    if ((char === ',' || char === '\n') && depth === 0) {
      tools.push(current);
      current = '';
    } else current += char;
  }
  tools.push(current);
  return tools.map((tool) => tool.trim()).filter((tool) => tool !== '');
}
