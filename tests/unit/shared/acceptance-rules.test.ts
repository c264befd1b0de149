import { describe, expect, it } from 'vitest';
import {
  acceptanceProblems,
  compilePattern,
  describeCriterion,
  splitToolList,
  staysInside,
  toolsProblems,
} from '../../../src/shared/domain/acceptance-rules.js';
import { NO_GOAL_TOOLS } from '../../../src/shared/domain/goal.js';

describe('compilePattern', () => {
  it('turns leading inline flags into JS flags', () => {
    expect(compilePattern('(?i)hello')).toEqual({ ok: true, source: 'hello', flags: 'i' });
    expect(compilePattern('(?ms)a.b')).toEqual({ ok: true, source: 'a.b', flags: 'ms' });
    expect(compilePattern('(?s)(?i)a')).toEqual({ ok: true, source: 'a', flags: 'is' });
    expect(compilePattern('(?:a|b)c')).toEqual({ ok: true, source: '(?:a|b)c', flags: '' });
    expect(compilePattern('\\(\\?i\\)')).toEqual({ ok: true, source: '\\(\\?i\\)', flags: '' });
  });

  it('refuses what JavaScript cannot honour, with the reason', () => {
    expect(compilePattern('(?x)a')).toEqual({ ok: false, error: 'unsupported inline flag "x" (use i, m or s)' });
    expect(compilePattern('a(?i)b')).toEqual({
      ok: false,
      error: 'inline flags such as (?i) are only supported at the start of the pattern',
    });
    expect(compilePattern('([')).toEqual({ ok: false, error: 'Unterminated character class' });
  });
});

describe('acceptanceProblems', () => {
  it('finds a bad regex, an escaping path, an empty command, glob or judge text', () => {
    const problems = acceptanceProblems([
      { kind: 'shell_command', command: '  ', expectedExit: 0, stdoutMustMatch: '(', timeoutSecs: 0 },
      { kind: 'file_matches', path: '../outside.txt', regex: 'ok', required: true },
      { kind: 'file_matches', path: '/etc/passwd', regex: '[', required: true },
      { kind: 'no_paths_touched', globs: ['', '../x'] },
      { kind: 'llm_judge', criterionText: ' ' },
      { kind: 'git_clean' },
    ]);
    expect(problems.map((p) => [p.path.join('.'), p.message])).toEqual([
      ['acceptance.0.command', 'acceptance 1 (shell_command): the command is empty'],
      ['acceptance.0.stdoutMustMatch', 'acceptance 1 (shell_command): bad stdout regex /(/: Unterminated group'],
      [
        'acceptance.1.path',
        'acceptance 2 (file_matches): ../outside.txt is outside the worktree (give a path relative to it, without leading ..)',
      ],
      [
        'acceptance.2.path',
        'acceptance 3 (file_matches): /etc/passwd is outside the worktree (give a path relative to it, without leading ..)',
      ],
      ['acceptance.2.regex', 'acceptance 3 (file_matches): bad regex /[/: Unterminated character class'],
      ['acceptance.3.globs', 'acceptance 4 (no_paths_touched): a glob is empty'],
      [
        'acceptance.3.globs',
        'acceptance 4 (no_paths_touched): ../x is outside the worktree (globs are relative to the repository root)',
      ],
      ['acceptance.4.criterionText', 'acceptance 5 (llm_judge): the judge needs the criteria to judge by'],
    ]);
  });

  it('accepts good criteria', () => {
    expect(
      acceptanceProblems([
        { kind: 'shell_command', command: 'npm test', expectedExit: 0, stdoutMustMatch: '(?i)passed', timeoutSecs: 60 },
        { kind: 'file_matches', path: 'src/../README.md', regex: '(?m)^# ', required: true },
        { kind: 'no_paths_touched', globs: ['*.lock', 'secrets/'] },
        { kind: 'llm_judge', criterionText: 'Has tests' },
      ]),
    ).toEqual([]);
  });

  it('staysInside resolves . and ..', () => {
    expect(staysInside('a/../b')).toBe(true);
    expect(staysInside('a/../../b')).toBe(false);
    expect(staysInside('~/x')).toBe(false);
  });
});

describe('tools', () => {
  it('splits tool lists, keeping commas inside a rule', () => {
    expect(splitToolList('Read, Grep,Bash(git diff:*, x)\nWrite')).toEqual([
      'Read',
      'Grep',
      'Bash(git diff:*, x)',
      'Write',
    ]);
  });

  it('extra directories must be absolute', () => {
    expect(toolsProblems({ ...NO_GOAL_TOOLS, addDirs: ['/abs', 'rel'] })).toEqual([
      { path: ['tools', 'addDirs'], message: 'extra directory rel must be an absolute path' },
    ]);
  });
});

describe('describeCriterion', () => {
  it('says what each kind checks', () => {
    expect(
      describeCriterion({
        kind: 'shell_command',
        command: 'make',
        expectedExit: 2,
        stdoutMustMatch: 'ok',
        timeoutSecs: 30,
      }),
    ).toBe('make (exit 2, stdout ~ /ok/, timeout 30s)');
    expect(describeCriterion({ kind: 'no_paths_touched', globs: ['a', 'b'] })).toBe('no changes to a, b');
  });
});
