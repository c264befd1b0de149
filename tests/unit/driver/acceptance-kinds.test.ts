// The acceptance kinds beyond a plain command: regexes matched off the event loop (a catastrophic
// pattern fails with a timeout while the host keeps ticking), inline regex flags, git_clean and
// no_paths_touched over the goal's cumulative changes, and the judge's answer parsing and argv.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefaultAcceptanceEvaluator } from '../../../src/main/driver/acceptance.js';
import { forbiddenPaths, pathMatchesGlob } from '../../../src/main/driver/acceptance/git-checks.js';
import { judgeArgs, judgePrompt, parseJudgeAnswer } from '../../../src/main/driver/acceptance/judge.js';
import { matchInWorker } from '../../../src/main/driver/acceptance/regex-match.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';

const CATASTROPHIC = '^(a+)+$';
/** Agent-shaped output: a long run of one character that almost matches. */
const AGENT_OUTPUT = `${'a'.repeat(64)}!`;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** Counts event-loop ticks while `work` runs; resolves with the work's result and the ticks seen before it settled. */
async function whileTicking<T>(work: () => Promise<T>): Promise<{ result: T; ticksWhilePending: number }> {
  let settled = false;
  let ticksWhilePending = 0;
  const interval = setInterval(() => {
    if (!settled) ticksWhilePending += 1;
  }, 5);
  try {
    const result = await work();
    settled = true;
    return { result, ticksWhilePending };
  } finally {
    clearInterval(interval);
  }
}

describe('regexes run off the event loop', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accept-redos-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a catastrophic file regex fails with a timeout message while the event loop keeps ticking', async () => {
    writeFileSync(join(dir, 'out.txt'), AGENT_OUTPUT);
    const evaluator = new DefaultAcceptanceEvaluator({ regexTimeLimitMs: 300 });
    const { result: verdict, ticksWhilePending } = await whileTicking(() =>
      evaluator.evaluate([{ kind: 'file_matches', path: 'out.txt', regex: CATASTROPHIC, required: true }], dir),
    );
    expect(verdict.met).toBe(false);
    expect(verdict.failures[0]?.message).toBe(
      `regex ${CATASTROPHIC} timed out after 300 ms (the pattern backtracks too much on this text; simplify it)`,
    );
    // The host's loop ran timers while the match was stuck (it would see none if the match blocked it).
    expect(ticksWhilePending).toBeGreaterThan(3);
  });

  it('a catastrophic stdout regex fails the same way', async () => {
    const evaluator = new DefaultAcceptanceEvaluator({ regexTimeLimitMs: 300 });
    const criterion: AcceptanceCriterion = {
      kind: 'shell_command',
      command: `printf '${AGENT_OUTPUT}'`,
      expectedExit: 0,
      stdoutMustMatch: CATASTROPHIC,
      timeoutSecs: 30,
    };
    const { result: verdict, ticksWhilePending } = await whileTicking(() => evaluator.evaluate([criterion], dir));
    expect(verdict.failures[0]?.message).toMatch(/^stdout regex \^\(a\+\)\+\$ timed out after 300 ms/);
    expect(ticksWhilePending).toBeGreaterThan(3);
  });

  it('a cancelled goal stops a stuck match', async () => {
    const controller = new AbortController();
    const pending = matchInWorker(CATASTROPHIC, AGENT_OUTPUT, { timeLimitMs: 600_000, signal: controller.signal });
    controller.abort();
    expect(await pending).toEqual({ kind: 'error', error: 'cancelled' });
  });

  it('inline flags (?i), (?m) and (?s) are honoured', async () => {
    expect(await matchInWorker('(?i)^HELLO', 'hello world')).toEqual({ kind: 'matched' });
    expect(await matchInWorker('^HELLO', 'hello world')).toEqual({ kind: 'not_matched' });
    expect(await matchInWorker('(?m)^second$', 'first\nsecond\nthird')).toEqual({ kind: 'matched' });
    expect(await matchInWorker('^second$', 'first\nsecond\nthird')).toEqual({ kind: 'not_matched' });
    expect(await matchInWorker('(?s)first.second', 'first\nsecond')).toEqual({ kind: 'matched' });
    expect(await matchInWorker('(?is)FIRST.second', 'first\nsecond')).toEqual({ kind: 'matched' });
    expect(await matchInWorker('(?x)a', 'a')).toEqual({
      kind: 'invalid',
      error: 'unsupported inline flag "x" (use i, m or s)',
    });
  });
});

describe('git_clean and no_paths_touched', () => {
  let repo: string;
  let base: string;
  const evaluator = new DefaultAcceptanceEvaluator();
  const context = () => ({ goalDescription: 'g', model: null, baseCommit: base });

  beforeEach(() => {
    repo = realpathSync(mkdtempSync(join(tmpdir(), 'accept-git-')));
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'Test');
    git(repo, 'config', 'user.email', 'test@example.com');
    git(repo, 'config', 'commit.gpgsign', 'false');
    mkdirSync(join(repo, 'secrets'));
    writeFileSync(join(repo, 'secrets', 'key.txt'), 'k\n');
    writeFileSync(join(repo, 'README.md'), '# r\n');
    writeFileSync(join(repo, '.gitignore'), 'build/\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'base');
    base = git(repo, 'rev-parse', 'HEAD').trim();
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('git_clean passes on a clean tree and lists what is uncommitted otherwise', async () => {
    expect((await evaluator.evaluate([{ kind: 'git_clean' }], repo)).met).toBe(true);
    writeFileSync(join(repo, 'README.md'), '# changed\n');
    writeFileSync(join(repo, 'new.txt'), 'n\n');
    const verdict = await evaluator.evaluate([{ kind: 'git_clean' }], repo);
    expect(verdict.failures[0]).toMatchObject({
      criterionLabel: 'git_clean',
      message: 'git_clean: workspace dirty (2 uncommitted changes)',
      evidence: ' M README.md\n?? new.txt',
    });
  });

  it('no_paths_touched passes when only safe paths changed (ignored files do not count)', async () => {
    writeFileSync(join(repo, 'README.md'), '# changed\n');
    mkdirSync(join(repo, 'build'));
    writeFileSync(join(repo, 'build', 'secrets.txt'), 'ignored\n');
    const verdict = await evaluator.evaluate([{ kind: 'no_paths_touched', globs: ['secrets'] }], repo, {
      context: context(),
    });
    expect(verdict.met).toBe(true);
  });

  it('no_paths_touched sees committed, deleted and untracked changes since the base', async () => {
    // A change the agent committed: invisible to `git status`, still a change since the goal's base.
    writeFileSync(join(repo, 'secrets', 'key.txt'), 'stolen\n');
    git(repo, 'commit', '-q', '-am', 'agent commit');
    expect((await evaluator.evaluate([{ kind: 'git_clean' }], repo)).met).toBe(true);
    let verdict = await evaluator.evaluate([{ kind: 'no_paths_touched', globs: ['secrets/'] }], repo, {
      context: context(),
    });
    expect(verdict.failures[0]).toMatchObject({
      criterionLabel: 'no_paths_touched:secrets/',
      message: 'no_paths_touched: changed forbidden paths: secrets/key.txt',
    });

    git(repo, 'reset', '-q', '--hard', base);
    unlinkSync(join(repo, 'secrets', 'key.txt'));
    writeFileSync(join(repo, 'deploy.env'), 'x\n');
    verdict = await evaluator.evaluate([{ kind: 'no_paths_touched', globs: ['*.env', 'secrets/**'] }], repo, {
      context: context(),
    });
    expect(verdict.failures[0]?.message).toBe('no_paths_touched: changed forbidden paths: deploy.env, secrets/key.txt');
  });

  it('does not touch the user index', async () => {
    writeFileSync(join(repo, 'staged.txt'), 's\n');
    git(repo, 'add', 'staged.txt');
    writeFileSync(join(repo, 'unstaged.txt'), 'u\n');
    const before = git(repo, 'status', '--porcelain');
    await evaluator.evaluate([{ kind: 'no_paths_touched', globs: ['x'] }], repo, { context: context() });
    expect(git(repo, 'status', '--porcelain')).toBe(before);
  });

  it('a workspace that is not a git repository fails both checks with a message', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'accept-plain-'));
    try {
      const verdict = await evaluator.evaluate(
        [{ kind: 'git_clean' }, { kind: 'no_paths_touched', globs: ['a'] }],
        plain,
      );
      expect(verdict.failures.map((f) => f.message)).toEqual([
        'git_clean: the workspace is not a git repository',
        'no_paths_touched: the workspace is not a git repository',
      ]);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('forbidden globs', () => {
  it('follow .gitignore habits: unanchored at any depth, anchored with a slash, directories cover their contents', () => {
    expect(pathMatchesGlob('config/prod.env', '*.env')).toBe(true);
    expect(pathMatchesGlob('a/secrets/key', 'secrets')).toBe(true);
    expect(pathMatchesGlob('secrets.txt', 'secrets')).toBe(false);
    expect(pathMatchesGlob('src/generated/x.ts', 'src/generated')).toBe(true);
    expect(pathMatchesGlob('lib/src/generated/x.ts', 'src/generated')).toBe(false);
    expect(pathMatchesGlob('src/generated/deep/x.ts', 'src/generated/**')).toBe(true);
    expect(pathMatchesGlob('.github/workflows/ci.yml', '.github/')).toBe(true);
    expect(forbiddenPaths(['a.ts', 'b.lock', 'c/d.lock'], ['*.lock'])).toEqual(['b.lock', 'c/d.lock']);
  });
});

describe('judge', () => {
  it('takes the last PASS or FAIL line, with its reason', () => {
    expect(parseJudgeAnswer('Looked at the diff.\nPASS: tests cover the parser')).toEqual({
      verdict: 'pass',
      reason: 'tests cover the parser',
    });
    expect(parseJudgeAnswer('**FAIL** - no test for empty input')).toEqual({
      verdict: 'fail',
      reason: 'no test for empty input',
    });
    expect(parseJudgeAnswer('PASS: first thought\nFAIL: on reflection, README not updated')).toEqual({
      verdict: 'fail',
      reason: 'on reflection, README not updated',
    });
    expect(parseJudgeAnswer('It looks fine to me.')).toBeNull();
    expect(parseJudgeAnswer('PASSED everything')).toBeNull();
  });

  it('is read-only: only Read, Grep and Glob are offered, write and shell tools refused, no MCP server, no session kept', () => {
    const args = judgeArgs('prompt', 'claude-sonnet-4-5', { settingSources: 'user' });
    expect(args.slice(0, 5)).toEqual(['-p', 'prompt', '--output-format', 'stream-json', '--verbose']);
    expect(args[args.indexOf('--tools') + 1]).toBe('Read,Grep,Glob');
    expect(args[args.indexOf('--disallowedTools') + 1]?.split(',')).toEqual(
      expect.arrayContaining(['Bash', 'Edit', 'Write']),
    );
    expect(args).toContain('--strict-mcp-config');
    expect(args).toContain('--no-session-persistence');
    expect(args).not.toContain('--permission-prompt-tool');
    expect(args.slice(-4)).toEqual(['--model', 'claude-sonnet-4-5', '--setting-sources', 'user']);
  });

  it('its prompt holds the goal, the criteria text and the diff', () => {
    const prompt = judgePrompt({
      goalDescription: 'Add a parser',
      criterionText: 'The parser has tests',
      diff: '+parse()',
      diffTruncated: true,
      changedPaths: ['p.ts'],
    });
    expect(prompt).toMatch(/^You are the acceptance judge for a coding goal\./);
    expect(prompt).toContain('# Goal\nAdd a parser');
    expect(prompt).toContain('# Criteria to judge\nThe parser has tests');
    expect(prompt).toContain('# Changes since the goal started (1 path)\n```diff\n+parse()\n```\n(The diff was cut');
    expect(prompt).toMatch(/PASS: <one-sentence reason>\nor\nFAIL: <one-sentence reason>$/);
  });

  it('without a Claude binary a judge criterion fails as unavailable', async () => {
    const verdict = await new DefaultAcceptanceEvaluator().evaluate(
      [{ kind: 'llm_judge', criterionText: 'x' }],
      tmpdir(),
    );
    expect(verdict.failures[0]).toMatchObject({
      criterionLabel: 'llm_judge',
      message: 'the judge is not available here (no Claude Code binary configured)',
    });
  });
});
