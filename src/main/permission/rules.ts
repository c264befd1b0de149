// Rule matching: what a tool call's main argument is (the Bash command; a file tool's path, relative to
// the workspace when inside it), whether a rule's tool + glob match a call, whether a stored rule's
// scope covers a goal, and whether a path lies inside the workspace (symlinks resolved).
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { minimatch } from 'minimatch';
import type { PermissionRule, RuleScope } from '../../shared/domain/permission.js';

/** Tools whose main argument is a file path, and the input field holding it. */
export const FILE_PATH_FIELDS: Readonly<Record<string, string>> = {
  Read: 'file_path',
  Write: 'file_path',
  Edit: 'file_path',
  MultiEdit: 'file_path',
  NotebookEdit: 'notebook_path',
  NotebookRead: 'notebook_path',
};

/** Tools that change files (what `allow-edits` allows inside the workspace). */
export const EDIT_TOOLS: ReadonlySet<string> = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

export type MainArgument =
  | { kind: 'command'; command: string }
  /** relative: posix path relative to the workspace, or null when the file is outside it. */
  | { kind: 'path'; absolute: string; relative: string | null }
  | { kind: 'none' };

/**
 * The part of a call a rule's pattern is matched against. `workspacePath` null (the goal is unknown):
 * file paths count as outside any workspace.
 */
export function mainArgument(
  toolName: string,
  input: Record<string, unknown>,
  workspacePath: string | null,
): MainArgument {
  if (toolName === 'Bash') {
    const command = input['command'];
    return typeof command === 'string' ? { kind: 'command', command: command.trim() } : { kind: 'none' };
  }
  const field = FILE_PATH_FIELDS[toolName];
  if (field === undefined) return { kind: 'none' };
  const raw = input[field];
  if (typeof raw !== 'string' || raw === '') return { kind: 'none' };
  if (workspacePath === null) return { kind: 'path', absolute: resolve(raw), relative: null };
  const absolute = resolve(workspacePath, raw);
  return { kind: 'path', absolute, relative: relativeInside(workspacePath, absolute) };
}

/** Short human text of the main argument (for messages and the terminal). */
export function describeArgument(arg: MainArgument): string {
  switch (arg.kind) {
    case 'command':
      return arg.command;
    case 'path':
      return arg.relative ?? arg.absolute;
    case 'none':
      return '';
  }
}

/** Resolves symlinks of the deepest existing ancestor (the file itself may not exist yet). */
function realpathLoose(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) return path;
    rest.unshift(basename(existing));
    existing = parent;
  }
  try {
    return join(realpathSync(existing), ...rest);
  } catch {
    return path;
  }
}

/** posix path of `absolute` relative to the workspace, or null when it is outside (after symlinks). */
export function relativeInside(workspacePath: string, absolute: string): string | null {
  const root = realpathLoose(resolve(workspacePath));
  const target = realpathLoose(resolve(absolute));
  const rel = relative(root, target);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel.split(sep).join('/');
}

// In a Bash command "/" is an ordinary character: swap it for a private-use one on both sides so that
// `*` matches across it ("git diff *" matches "git diff src/a.ts").
const SLASH_STAND_IN = '\uE000';
const COMMAND_GLOB = { dot: true, nocomment: true, nonegate: true } as const;
const PATH_GLOB = { dot: true, nocomment: true, nonegate: true } as const;
/** Characters that chain, substitute or redirect in a shell command. */
const SHELL_CONTROL = [';', '&', '|', '`', '$(', '>', '<', '\n'];

/**
 * An allow pattern for Bash never matches a command that chains, substitutes or redirects with a
 * character the pattern itself does not contain: "git status*" must not allow "git status; rm -rf ~".
 */
function smuggles(command: string, pattern: string): boolean {
  return SHELL_CONTROL.some((token) => command.includes(token) && !pattern.includes(token));
}

/** Does `pattern` (null = anything) match the main argument? */
export function patternMatches(pattern: string | null, arg: MainArgument, decision: 'allow' | 'deny'): boolean {
  if (pattern === null) return true;
  switch (arg.kind) {
    case 'none':
      return false;
    case 'command': {
      if (decision === 'allow' && smuggles(arg.command, pattern)) return false;
      const subject = arg.command.split('/').join(SLASH_STAND_IN);
      return minimatch(subject, pattern.split('/').join(SLASH_STAND_IN), COMMAND_GLOB);
    }
    case 'path':
      // An absolute pattern matches the absolute path; a relative one only files inside the workspace.
      if (isAbsolute(pattern)) return minimatch(arg.absolute.split(sep).join('/'), pattern, PATH_GLOB);
      return arg.relative !== null && minimatch(arg.relative, pattern, PATH_GLOB);
  }
}

/** The fields of a rule that decide whether it matches (shared by stored and goal rules). */
export interface RuleShape {
  tool: string;
  pattern: string | null;
  decision: 'allow' | 'deny';
}

export function ruleMatches(rule: RuleShape, toolName: string, arg: MainArgument): boolean {
  if (rule.tool !== '*' && rule.tool !== toolName) return false;
  return patternMatches(rule.pattern, arg, rule.decision);
}

/** Which goal a scope check is about. */
export interface ScopeSubject {
  goalId: string;
  repoPath: string;
}

export function scopeCovers(scope: RuleScope, subject: ScopeSubject): boolean {
  switch (scope.kind) {
    case 'goal':
      return scope.goalId === subject.goalId;
    case 'repository':
      return resolve(scope.repoPath) === resolve(subject.repoPath);
    case 'everywhere':
      return true;
  }
}

const SCOPE_ORDER: Record<RuleScope['kind'], number> = { goal: 0, repository: 1, everywhere: 2 };

/**
 * Stored rules in the order they are tried: narrower scope first (goal, repository, everywhere);
 * within a scope, deny rules before allow rules; then oldest first.
 */
export function orderStoredRules(rules: readonly PermissionRule[]): PermissionRule[] {
  return rules
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => {
      const byScope = SCOPE_ORDER[a.rule.scope.kind] - SCOPE_ORDER[b.rule.scope.kind];
      if (byScope !== 0) return byScope;
      const byDecision = (a.rule.decision === 'deny' ? 0 : 1) - (b.rule.decision === 'deny' ? 0 : 1);
      return byDecision !== 0 ? byDecision : a.index - b.index;
    })
    .map(({ rule }) => rule);
}

/** Is the call an edit of a file inside the workspace (what `allow-edits` allows)? */
export function isEditInsideWorkspace(toolName: string, arg: MainArgument): boolean {
  return EDIT_TOOLS.has(toolName) && arg.kind === 'path' && arg.relative !== null;
}
