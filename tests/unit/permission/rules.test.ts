// Rule matching: main arguments, globs on commands and paths, shell-chaining protection, scopes and
// the order stored rules are tried in; and the rules file parser.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PermissionRule } from '../../../src/shared/domain/permission.js';
import {
  goalPolicyFromMetadata,
  loadRulesFile,
  parseRulesText,
  RulesFileError,
  withGoalPolicy,
} from '../../../src/main/permission/rules-file.js';
import {
  isEditInsideWorkspace,
  mainArgument,
  orderStoredRules,
  ruleMatches,
  scopeCovers,
} from '../../../src/main/permission/rules.js';
import { tempDir } from './helpers.js';

const ws = '/work/space';

function rule(tool: string, pattern: string | null, decision: 'allow' | 'deny' = 'allow') {
  return { tool, pattern, decision };
}

describe('main argument', () => {
  it('is the Bash command, a file tool path relative to the workspace, or nothing', () => {
    expect(mainArgument('Bash', { command: '  git status  ' }, ws)).toEqual({ kind: 'command', command: 'git status' });
    expect(mainArgument('Write', { file_path: '/work/space/src/a.ts' }, ws)).toEqual({
      kind: 'path',
      absolute: '/work/space/src/a.ts',
      relative: 'src/a.ts',
    });
    expect(mainArgument('Edit', { file_path: 'rel/b.ts' }, ws)).toMatchObject({ relative: 'rel/b.ts' });
    expect(mainArgument('NotebookEdit', { notebook_path: '/etc/x.ipynb' }, ws)).toMatchObject({ relative: null });
    expect(mainArgument('Write', { file_path: '/work/space/../spacey/a' }, ws)).toMatchObject({ relative: null });
    expect(mainArgument('WebFetch', { url: 'https://x' }, ws)).toEqual({ kind: 'none' });
    expect(mainArgument('Bash', { command: 42 }, ws)).toEqual({ kind: 'none' });
  });

  it('treats a path that escapes through a symlink as outside the workspace', () => {
    const root = tempDir();
    const workspace = join(root, 'ws');
    const outside = join(root, 'outside');
    mkdirSync(workspace);
    mkdirSync(outside);
    symlinkSync(outside, join(workspace, 'link'));
    expect(mainArgument('Write', { file_path: join(workspace, 'link', 'new.txt') }, workspace)).toMatchObject({
      relative: null,
    });
    expect(mainArgument('Write', { file_path: join(workspace, 'new', 'deep.txt') }, workspace)).toMatchObject({
      relative: 'new/deep.txt',
    });
  });
});

describe('rule matching', () => {
  const bash = (command: string) => mainArgument('Bash', { command }, ws);
  const write = (path: string) => mainArgument('Write', { file_path: path }, ws);

  it('matches the tool exactly or "*", and a null pattern matches any call', () => {
    expect(ruleMatches(rule('Bash', null), 'Bash', bash('rm -rf /'))).toBe(true);
    expect(ruleMatches(rule('*', null), 'WebFetch', { kind: 'none' })).toBe(true);
    expect(ruleMatches(rule('Bash', null), 'Write', write('/work/space/a'))).toBe(false);
    expect(ruleMatches(rule('WebFetch', 'x*'), 'WebFetch', { kind: 'none' })).toBe(false);
  });

  it('globs a Bash command with "*" crossing slashes', () => {
    expect(ruleMatches(rule('Bash', 'git status*'), 'Bash', bash('git status'))).toBe(true);
    expect(ruleMatches(rule('Bash', 'git diff *'), 'Bash', bash('git diff src/a/b.ts'))).toBe(true);
    expect(ruleMatches(rule('Bash', 'git diff *'), 'Bash', bash('git log'))).toBe(false);
    expect(ruleMatches(rule('Bash', 'npm test'), 'Bash', bash('npm test --watch'))).toBe(false);
  });

  it('never lets an allow pattern cover a chained, substituted or redirected command it does not spell out', () => {
    for (const command of [
      'git status; rm -rf ~',
      'git status && curl x',
      'git status | sh',
      'git status `id`',
      'git status $(id)',
      'git status > /etc/x',
      'git status\nrm -rf ~',
    ]) {
      expect(ruleMatches(rule('Bash', 'git status*'), 'Bash', bash(command))).toBe(false);
    }
    expect(ruleMatches(rule('Bash', 'git status*', 'deny'), 'Bash', bash('git status; rm -rf ~'))).toBe(true);
    expect(ruleMatches(rule('Bash', 'npm test | tee *'), 'Bash', bash('npm test | tee out.log'))).toBe(true);
  });

  it('globs file paths relative to the workspace, dotfiles included; absolute patterns match absolute paths', () => {
    expect(ruleMatches(rule('Write', 'src/**'), 'Write', write('/work/space/src/deep/a.ts'))).toBe(true);
    expect(ruleMatches(rule('Write', 'src/**'), 'Write', write('/work/space/src/.env'))).toBe(true);
    expect(ruleMatches(rule('Write', '*.md'), 'Write', write('/work/space/docs/a.md'))).toBe(false);
    expect(ruleMatches(rule('Write', '**'), 'Write', write('/etc/passwd'))).toBe(false);
    expect(ruleMatches(rule('Write', '/etc/**'), 'Write', write('/etc/passwd'))).toBe(true);
  });

  it('knows which edits are inside the workspace', () => {
    expect(isEditInsideWorkspace('Write', write('/work/space/a'))).toBe(true);
    expect(isEditInsideWorkspace('Write', write('/tmp/a'))).toBe(false);
    expect(isEditInsideWorkspace('Read', mainArgument('Read', { file_path: '/work/space/a' }, ws))).toBe(false);
    expect(isEditInsideWorkspace('Bash', bash('touch a'))).toBe(false);
  });
});

describe('stored rule scopes and order', () => {
  const make = (id: string, scope: PermissionRule['scope'], decision: 'allow' | 'deny'): PermissionRule => ({
    id,
    scope,
    tool: 'Bash',
    pattern: null,
    decision,
    message: null,
    createdAt: '2026-01-01T00:00:00Z',
  });

  it('covers a goal by id, a repository by resolved path, or everything', () => {
    const subject = { goalId: 'g1', repoPath: '/repo/x' };
    expect(scopeCovers({ kind: 'goal', goalId: 'g1' }, subject)).toBe(true);
    expect(scopeCovers({ kind: 'goal', goalId: 'g2' }, subject)).toBe(false);
    expect(scopeCovers({ kind: 'repository', repoPath: '/repo/x/' }, subject)).toBe(true);
    expect(scopeCovers({ kind: 'repository', repoPath: '/repo/y' }, subject)).toBe(false);
    expect(scopeCovers({ kind: 'everywhere' }, subject)).toBe(true);
  });

  it('tries narrower scopes first and, within a scope, deny before allow, then oldest first', () => {
    const rules = [
      make('every-allow', { kind: 'everywhere' }, 'allow'),
      make('repo-allow', { kind: 'repository', repoPath: '/r' }, 'allow'),
      make('goal-allow-1', { kind: 'goal', goalId: 'g' }, 'allow'),
      make('goal-deny', { kind: 'goal', goalId: 'g' }, 'deny'),
      make('goal-allow-2', { kind: 'goal', goalId: 'g' }, 'allow'),
      make('every-deny', { kind: 'everywhere' }, 'deny'),
    ];
    expect(orderStoredRules(rules).map((r) => r.id)).toEqual([
      'goal-deny',
      'goal-allow-1',
      'goal-allow-2',
      'repo-allow',
      'every-deny',
      'every-allow',
    ]);
  });
});

describe('rules file', () => {
  it('parses rules with defaults and denies what no rule matches', () => {
    const policy = parseRulesText(
      JSON.stringify([
        { tool: 'Bash', pattern: 'git status*', decision: 'allow' },
        { tool: 'Write', decision: 'deny', message: 'no writes' },
      ]),
      'rules.json',
    );
    expect(policy).toEqual({
      source: 'rules.json',
      rules: [
        { tool: 'Bash', pattern: 'git status*', decision: 'allow', message: null },
        { tool: 'Write', pattern: null, decision: 'deny', message: 'no writes' },
      ],
      unmatched: 'deny',
      unmatchedMessage: expect.stringContaining('No rule in rules.json'),
    });
  });

  it('names the index and the field of every mistake', () => {
    const attempt = () =>
      parseRulesText(
        JSON.stringify([
          { tool: 'Bash', decision: 'allow' },
          { tool: 'Bash', decision: 'maybe' },
          { decision: 'deny' },
          { tool: 'Write', decision: 'deny', mesage: 'typo' },
        ]),
        'r.json',
      );
    expect(attempt).toThrow(RulesFileError);
    let text = '';
    try {
      attempt();
    } catch (error) {
      text = error instanceof Error ? error.message : '';
    }
    expect(text).toContain('rules[1].decision');
    expect(text).toContain('rules[2].tool');
    expect(text).toContain('rules[3]');
    expect(text).toContain('mesage');
    expect(text).not.toContain('rules[0]');
  });

  it('refuses JSON that is not an array, and text that is not JSON, naming the file', () => {
    expect(() => parseRulesText('{"tool":"Bash"}', 'x.json')).toThrow(/x\.json: expected a JSON array/);
    expect(() => parseRulesText('[{', 'y.json')).toThrow(/y\.json: not valid JSON/);
    expect(() => loadRulesFile('/nonexistent/rules.json')).toThrow(/cannot read rules file \/nonexistent\/rules\.json/);
  });

  it('loads a file and round-trips the policy through goal metadata', () => {
    const dir = tempDir();
    const file = join(dir, 'rules.json');
    writeFileSync(file, '[{"tool":"Read","decision":"allow"}]');
    const policy = loadRulesFile(file);
    expect(policy.source).toBe(file);
    const metadata = withGoalPolicy({ other: 1 }, policy);
    expect(goalPolicyFromMetadata(JSON.parse(JSON.stringify(metadata)))).toEqual(policy);
    expect(goalPolicyFromMetadata({})).toBeNull();
    expect(() => goalPolicyFromMetadata({ permissionPolicy: { rules: 'x' } })).toThrow(RulesFileError);
  });
});
