// Every acceptance kind end to end: the real Claude Code CLI works in the goal's worktree against the
// fake model, then the driver's evaluator checks the result — a command with its exit code, stdout
// regex and timeout; a file regex; a clean working tree; forbidden paths over the goal's cumulative
// changes; and the judge, a read-only Claude call the fake model answers FAIL then PASS. Also the
// goal's own tool options as Claude sees them (a disallowed tool is not offered).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeReply, FakeScript } from '../../fake-model/server.js';
import { offeredTools, withJudge } from '../../fake-model/judge.js';
import { messageToolResults, systemText } from '../../fake-model/request.js';
import { startRealDriver, type RealDriver } from './support/real-driver.js';

let d: RealDriver | null = null;
afterEach(async () => {
  await d?.close();
  d = null;
});

/** Each goal runs the real CLI for one to four turns (plus judge calls): generous on a loaded machine. */
const LONG = 300_000;

/**
 * A script that does `actions` one per turn, whatever turn a busy machine loses: a turn's prompt gets
 * the next action not yet done (counted from the successful tool results in the conversation), a
 * tool result gets a closing text.
 */
function actions(list: FakeReply[]): FakeScript {
  return (ctx) => {
    const last = ctx.body.messages.at(-1);
    if (last !== undefined && messageToolResults(last).length > 0) return { text: 'Did it.' };
    const done = ctx.body.messages
      .flatMap((message) => (message.role === 'user' ? messageToolResults(message) : []))
      .filter((result) => !result.isError).length;
    return list[done] ?? { text: 'Nothing left to do.' };
  };
}

describe('acceptance kinds with the real CLI', () => {
  it('shell_command: expected exit code, stdout regex with inline flags, timeout', { timeout: LONG }, async () => {
    d = await startRealDriver(
      actions([{ toolUses: [{ name: 'Write', input: { file_path: 'status.txt', content: 'Build PASSED\n' } }] }]),
    );
    const goal = d.goal({
      description: 'Write status.txt.',
      acceptance: [
        {
          kind: 'shell_command',
          command: 'cat status.txt; exit 3',
          expectedExit: 3,
          stdoutMustMatch: '(?im)^build passed$',
          timeoutSecs: 60,
        },
      ],
    });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.acceptance?.failures).toEqual([]);
    expect(outcome.outcome).toEqual({ kind: 'done' });
    expect(outcome.acceptance?.met).toBe(true);
  });

  it('file_matches: a miss is fed back, the fix passes', { timeout: LONG }, async () => {
    d = await startRealDriver(
      actions([
        { toolUses: [{ name: 'Write', input: { file_path: 'CHANGELOG.md', content: '# Changes\n' } }] },
        {
          toolUses: [
            {
              name: 'Bash',
              input: { command: "printf '## 1.2.0\\n- parser\\n' >> CHANGELOG.md", description: 'add the release' },
            },
          ],
        },
      ]),
    );
    const goal = d.goal({
      description: 'Add release 1.2.0 to the changelog.',
      acceptance: [{ kind: 'file_matches', path: 'CHANGELOG.md', regex: '(?m)^## 1\\.2\\.0$', required: true }],
    });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.outcome).toEqual({ kind: 'done' });
    const failed = d.events.of('acceptance')[0]?.verdict;
    expect(failed?.failures).toMatchObject([
      {
        criterionLabel: 'file:CHANGELOG.md',
        message: 'file_matches(CHANGELOG.md): regex did not match: (?m)^## 1\\.2\\.0$',
      },
    ]);
    expect(
      d.model.requests.some((ctx) =>
        ctx.lastUserText.includes('1. file:CHANGELOG.md: file_matches(CHANGELOG.md): regex did not match'),
      ),
    ).toBe(true);
  });

  it('git_clean: uncommitted work fails, committed work passes', { timeout: LONG }, async () => {
    d = await startRealDriver(
      actions([
        { toolUses: [{ name: 'Write', input: { file_path: 'feature.txt', content: 'feature\n' } }] },
        {
          toolUses: [
            {
              name: 'Bash',
              input: {
                command: 'git add -A && git commit -q -m "add feature" && git status --porcelain',
                description: 'commit',
              },
            },
          ],
        },
      ]),
    );
    const goal = d.goal({ description: 'Add and commit the feature.', acceptance: [{ kind: 'git_clean' }] });
    const outcome = await d.driver.runGoal(goal);
    expect(outcome.outcome).toEqual({ kind: 'done' });
    expect(d.events.of('acceptance')[0]?.verdict.failures).toMatchObject([
      {
        criterionLabel: 'git_clean',
        message: 'git_clean: workspace dirty (1 uncommitted change)',
        evidence: '?? feature.txt',
      },
    ]);
  });

  it(
    'no_paths_touched: a forbidden path changed since the base fails, even once committed',
    { timeout: LONG },
    async () => {
      d = await startRealDriver(
        actions([
          {
            toolUses: [
              {
                name: 'Bash',
                input: {
                  command:
                    'mkdir -p secrets && echo leaked > secrets/token && echo ok > notes.txt && git add -A && git commit -q -m work',
                  description: 'work',
                },
              },
            ],
          },
        ]),
      );
      const goal = d.goal({
        description: 'Write notes.',
        acceptance: [{ kind: 'no_paths_touched', globs: ['secrets/', '*.pem'] }],
        budget: { maxTurns: 4 },
      });
      const outcome = await d.driver.runGoal(goal);
      expect(outcome.outcome.kind).not.toBe('done');
      expect(d.events.of('acceptance')[0]?.verdict.failures).toMatchObject([
        {
          criterionLabel: 'no_paths_touched:secrets/,*.pem',
          message: 'no_paths_touched: changed forbidden paths: secrets/token',
        },
      ]);
    },
  );

  it(
    'llm_judge: a read-only Claude call sees the goal, the criteria and the diff; FAIL is fed back, PASS ends the goal; its cost counts',
    { timeout: LONG },
    async () => {
      const judged = withJudge(
        actions([
          { toolUses: [{ name: 'Write', input: { file_path: 'parser.txt', content: 'parse(zebra-input)\n' } }] },
          { toolUses: [{ name: 'Write', input: { file_path: 'parser.test.txt', content: 'test parse(empty)\n' } }] },
        ]),
        (_ctx, n) =>
          n === 0 ? 'I read the diff.\nFAIL: there is no test for empty input' : 'PASS: the empty-input test exists',
      );
      d = await startRealDriver(judged.script);
      const goal = d.goal({
        description: 'Write a parser with tests.',
        acceptance: [{ kind: 'llm_judge', criterionText: 'The parser has a test for empty input.' }],
      });
      const outcome = await d.driver.runGoal(goal);

      expect(outcome.outcome).toEqual({ kind: 'done' });
      expect(judged.judgeRequests).toHaveLength(2);
      const first = judged.judgeRequests[0];
      // Read-only: the judge is offered Read, Grep and Glob, and no tool that writes or runs commands
      // (newer releases add internal placeholders such as DeferredToolPlaceholder to the list).
      const judgeTools = offeredTools(first ?? judged.judgeRequests[1]!);
      expect(judgeTools).toEqual(expect.arrayContaining(['Glob', 'Grep', 'Read']));
      for (const tool of ['Bash', 'Edit', 'MultiEdit', 'Write', 'NotebookEdit', 'WebFetch', 'WebSearch', 'Task'])
        expect(judgeTools).not.toContain(tool);
      expect(first?.allUserText).toContain('# Goal\nWrite a parser with tests.');
      expect(first?.allUserText).toContain('# Criteria to judge\nThe parser has a test for empty input.');
      expect(first?.allUserText).toContain('+parse(zebra-input)');
      expect(judged.judgeRequests[1]?.allUserText).toContain('+test parse(empty)');

      const verdicts = d.events.of('acceptance').map((e) => e.verdict);
      expect(verdicts[0]?.failures).toMatchObject([
        { criterionLabel: 'llm_judge', message: 'FAIL: there is no test for empty input' },
      ]);
      expect(verdicts[1]?.met).toBe(true);
      // The failure reached the next work turn.
      expect(
        d.model.requests.some(
          (ctx) =>
            !judged.judgeRequests.includes(ctx) &&
            ctx.lastUserText.includes('1. llm_judge: FAIL: there is no test for empty input'),
        ),
      ).toBe(true);
      // The judge's cost is in the goal's usage on top of the turns' own.
      const judgeCost = verdicts.reduce((sum, v) => sum + (v?.costUsd ?? 0), 0);
      expect(judgeCost).toBeGreaterThan(0);
      const turnsCost = d.events.of('attempt_completed').reduce((sum, e) => sum + e.result.turnCostUsd, 0);
      expect(outcome.usage.costUsd).toBeCloseTo(turnsCost + judgeCost, 10);
    },
  );

  it(
    "the goal's tool options reach Claude: a disallowed tool is not offered, the appended system prompt is sent",
    { timeout: LONG },
    async () => {
      const extraDir = mkdtempSync(join(tmpdir(), 'add-dir-'));
      try {
        d = await startRealDriver(() => ({ text: 'done' }));
        const goal = d.goal({
          description: 'Look around.',
          tools: {
            allowed: ['Read'],
            disallowed: ['Write', 'WebFetch'],
            addDirs: [extraDir],
            appendSystemPrompt: 'Always mention zebras.',
          },
        });
        const outcome = await d.driver.runGoal(goal);
        expect(outcome.outcome.kind).toBe('done');
        const request = d.model.requests[0];
        expect(request).toBeDefined();
        const tools = offeredTools(request!);
        expect(tools).toEqual(expect.arrayContaining(['Read', 'Edit', 'Bash']));
        expect(tools).not.toContain('Write');
        expect(tools).not.toContain('WebFetch');
        expect(systemText(request!.body)).toContain('Always mention zebras.');
        expect(JSON.stringify(request!.body)).toContain(extraDir);
      } finally {
        rmSync(extraDir, { recursive: true, force: true });
      }
    },
  );
});
