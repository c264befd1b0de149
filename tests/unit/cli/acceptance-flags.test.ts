import { describe, expect, it } from 'vitest';
import { parseRunOptions } from '../../../src/main/cli/run-options.js';
import { claudeVersionWarning, parseClaudeVersion } from '../../../src/main/driver/claude-version.js';

const run = (...flags: string[]) => parseRunOptions(['--repo', '/r', '--goal', 'g', ...flags]);

describe('overseer run acceptance flags', () => {
  it('every kind, in command-line order; exit, stdout and timeout refine the --accept before them', () => {
    const options = run(
      '--accept',
      'npm test',
      '--accept-exit',
      '0',
      '--accept-stdout',
      '(?i)passed',
      '--accept-timeout',
      '10m',
      '--accept-file',
      'CHANGELOG.md:(?m)^## 1\\.2',
      '--accept',
      'make lint',
      '--accept-exit',
      '2',
      '--forbid',
      'secrets/',
      '--forbid',
      '*.lock',
      '--judge',
      'The new parser has tests for empty input',
      '--accept-clean',
    );
    expect(options.acceptance).toEqual([
      { kind: 'shell_command', command: 'npm test', expectedExit: 0, stdoutMustMatch: '(?i)passed', timeoutSecs: 600 },
      { kind: 'file_matches', path: 'CHANGELOG.md', regex: '(?m)^## 1\\.2', required: true },
      { kind: 'shell_command', command: 'make lint', expectedExit: 2, stdoutMustMatch: null, timeoutSecs: 300 },
      { kind: 'llm_judge', criterionText: 'The new parser has tests for empty input' },
      { kind: 'no_paths_touched', globs: ['secrets/', '*.lock'] },
      { kind: 'git_clean' },
    ]);
  });

  it('says what is wrong with a bad flag', () => {
    expect(() => run('--accept-exit', '1')).toThrow(
      '--accept-exit refines the --accept CMD before it: put it after an --accept',
    );
    expect(() => run('--accept', 'x', '--accept-exit', 'one')).toThrow(/--accept-exit must be a whole number/);
    expect(() => run('--accept', 'x', '--accept-timeout', 'soon')).toThrow(/--accept-timeout must be a duration/);
    expect(() => run('--accept-file', 'no-regex')).toThrow(
      '--accept-file takes PATH:REGEX (the file, relative to the worktree, and what it must match), got "no-regex"',
    );
    expect(() => run('--judge', ' ')).toThrow('--judge needs the criteria the judge must check');
  });

  it('tool flags: comma lists (repeatable), extra directories made absolute, an appended system prompt', () => {
    const options = run(
      '--allowed-tools',
      'Read,Grep',
      '--allowed-tools',
      'Bash(git diff:*)',
      '--disallowed-tools',
      'WebFetch',
      '--add-dir',
      '/data/docs',
      '--append-system-prompt',
      'Be brief.',
    );
    expect(options.tools).toEqual({
      allowed: ['Read', 'Grep', 'Bash(git diff:*)'],
      disallowed: ['WebFetch'],
      addDirs: ['/data/docs'],
      appendSystemPrompt: 'Be brief.',
    });
    expect(run().tools).toEqual({ allowed: [], disallowed: [], addDirs: [], appendSystemPrompt: null });
  });
});

describe('Claude Code version check', () => {
  it('reads `claude --version` and warns only below the oldest tried release', () => {
    expect(parseClaudeVersion('2.1.197 (Claude Code)')).toEqual([2, 1, 197]);
    expect(parseClaudeVersion('weird')).toBeNull();
    expect(claudeVersionWarning('2.1.197 (Claude Code)')).toBeNull();
    expect(claudeVersionWarning('2.1.332 (Claude Code)')).toBeNull();
    expect(claudeVersionWarning('3.0.0')).toBeNull();
    expect(claudeVersionWarning('2.1.96 (Claude Code)')).toMatch(
      /^Claude Code 2\.1\.96 is older than 2\.1\.197, the oldest release Overseer was tried with/,
    );
    expect(claudeVersionWarning('1.9.999')).not.toBeNull();
    expect(claudeVersionWarning('')).toBeNull();
  });
});
