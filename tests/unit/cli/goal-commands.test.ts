// Option parsing of the commands that act on one goal, GOAL prefix resolution, rule names and the
// diff --stat lines.
import { describe, expect, it } from 'vitest';
import type { GoalSummary } from '../../../src/shared/domain/views.js';
import { parseGoalCommand, parseTurnNumber } from '../../../src/main/cli/goal-command-options.js';
import { matchGoalRef } from '../../../src/main/cli/goal-ref.js';
import { policyRuleText } from '../../../src/main/cli/rule-names.js';
import { formatStat } from '../../../src/main/cli/diff-command.js';
import { describeEvent } from '../../../src/main/cli/event-lines.js';
import { describeRequest } from '../../../src/main/permission/terminal.js';
import { UsageError } from '../../../src/main/cli/usage.js';

function summary(id: string, status: GoalSummary['status'] = 'done'): GoalSummary {
  return {
    id,
    description: `goal ${id.slice(0, 4)}`,
    repoPath: '/r',
    status,
    turns: 1,
    maxTurns: 40,
    tokens: 0,
    costUsd: 0,
    pendingPermissions: 0,
    pausedAtCap: null,
    landed: false,
    tokensPerTurn: [0],
    tokensPerTurnFrom: 0,
    createdAt: '',
    updatedAt: '',
  };
}

describe('goal command options', () => {
  it('parses GOAL and the common flags', () => {
    expect(parseGoalCommand('cancel', ['ab12', '--json', '--data-dir', '/d'])).toEqual({
      command: 'cancel',
      goal: 'ab12',
      json: true,
      dataDir: '/d',
      help: false,
      runner: null,
    });
    expect(parseGoalCommand('cancel', ['ab12', '--runner', 'box', '--nats', 'nats://n:4222'])).toMatchObject({
      runner: { name: 'box', settings: { url: 'nats://n:4222' } },
    });
    expect(() => parseGoalCommand('cancel', ['ab12', '--nats', 'nats://n:4222'])).toThrow(/go with --runner/);
    expect(parseGoalCommand('pause', ['--help'])).toMatchObject({ help: true, goal: undefined });
    expect(parseGoalCommand('logs', ['ab', '-f'])).toMatchObject({ command: 'logs', follow: true });
    expect(parseGoalCommand('delete', ['ab', '--force', '--keep-branch'])).toMatchObject({
      force: true,
      keepBranch: true,
    });
  });

  it('counts turns from 1 on the command line', () => {
    expect(parseGoalCommand('diff', ['ab', '--turn', '2', '--stat'])).toMatchObject({ turn: 2, stat: true });
    expect(parseGoalCommand('diff', ['ab'])).toMatchObject({ turn: null, stat: false });
    expect(parseGoalCommand('rollback', ['ab', '--turn', '3', '--after'])).toMatchObject({ turn: 3, after: true });
    for (const bad of ['0', '-1', '1.5', 'two', ''])
      expect(() => parseTurnNumber(bad)).toThrow(/--turn must be a turn number/);
  });

  it('names what is missing or wrong', () => {
    expect(() => parseGoalCommand('cancel', [])).toThrow(/which goal\?/);
    expect(() => parseGoalCommand('cancel', ['a', 'b'])).toThrow(/expected one GOAL, got 2/);
    expect(() => parseGoalCommand('interrupt', ['ab'])).toThrow(/--note TEXT is required/);
    expect(() => parseGoalCommand('interrupt', ['ab', '--note', '  '])).toThrow(/--note TEXT is required/);
    expect(parseGoalCommand('interrupt', ['ab', '--note', 'use pnpm', '--stop-turn'])).toMatchObject({
      note: 'use pnpm',
      stopTurn: true,
    });
    expect(() => parseGoalCommand('rollback', ['ab'])).toThrow(/--turn N is required/);
    expect(() => parseGoalCommand('diff', ['ab', '--bogus'])).toThrow(/--bogus/);
    expect(() => parseGoalCommand('cancel', ['ab'])).not.toThrow();
  });
});

describe('GOAL prefixes', () => {
  const goals = [
    summary('abc12345-0000-4000-8000-000000000001'),
    summary('abd12345-0000-4000-8000-000000000002', 'running'),
    summary('f0000000-0000-4000-8000-000000000003'),
  ];

  it('takes any unique start of an id, in any case, and the whole id', () => {
    expect(matchGoalRef(goals, 'abc').id).toBe(goals[0]!.id);
    expect(matchGoalRef(goals, 'ABD1').id).toBe(goals[1]!.id);
    expect(matchGoalRef(goals, 'f').id).toBe(goals[2]!.id);
    expect(matchGoalRef(goals, goals[0]!.id).id).toBe(goals[0]!.id);
  });

  it('lists the candidates of an ambiguous prefix and says when none matches', () => {
    let error: unknown;
    try {
      matchGoalRef(goals, 'ab');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).toContain('"ab" matches 2 goals; give more of the id');
    expect(message).toContain(goals[0]!.id);
    expect(message).toContain(goals[1]!.id);
    expect(message).toContain('running');
    expect(() => matchGoalRef(goals, 'zz')).toThrow(/no goal whose id starts with "zz" \(see `overseer goals`\)/);
    expect(() => matchGoalRef([], 'zz')).toThrow(/there are no goals yet/);
    expect(() => matchGoalRef(goals, ' ')).toThrow(/which goal\?/);
  });
});

describe('terminal lines', () => {
  const goalId = 'abc12345-0000-4000-8000-000000000001';

  it('numbers turns from 1 in prompts as in progress lines', () => {
    const request = {
      id: 'r1',
      goalId,
      turnIndex: 0,
      toolName: 'Bash',
      toolUseId: 't',
      input: { command: 'ls' },
      createdAt: '',
    };
    expect(describeRequest(request)).toContain('turn 1 · Bash');
    expect(
      describeEvent({
        kind: 'attempt_started',
        goalId,
        turnIndex: 0,
        compact: false,
        prompt: '',
        usage: {
          turns: 0,
          wallTimeMs: 0,
          tokens: 0,
          costUsd: 0,
          consecutiveDenies: 0,
          consecutiveErrors: 0,
          consecutive413: 0,
        },
      }),
    ).toBe('· turn 1 started');
  });

  it('prints rules as their text', () => {
    const policy = {
      source: 'rules.json',
      rules: [{ tool: 'Bash', pattern: 'git status*', decision: 'allow' as const, message: null }],
      unmatched: 'deny' as const,
      unmatchedMessage: null,
    };
    expect(policyRuleText(policy, 'rules.json#0')).toBe('rule 1 of rules.json: allow Bash "git status*"');
    expect(policyRuleText(policy, 'rules.json#unmatched')).toBe('no rule in rules.json matched');
    expect(policyRuleText(policy, 'other#0')).toBeNull();
    const decided = {
      kind: 'permission_decided',
      goalId,
      requestId: 'r1',
      toolName: 'Bash',
      decision: { behavior: 'allow', updatedInput: {} },
      decidedBy: { kind: 'rule', ruleId: 'rules.json#0' },
    } as unknown as Parameters<typeof describeEvent>[0];
    expect(describeEvent(decided, (id) => policyRuleText(policy, id) ?? id)).toBe(
      '  ✓ Bash allowed (rule 1 of rules.json: allow Bash "git status*")',
    );
  });

  it('names the console that decided a prompt for a runner', () => {
    const decided = (decidedBy: { kind: 'operator'; name?: string }) =>
      describeEvent({
        kind: 'permission_decided',
        goalId: 'g1',
        requestId: 'r1',
        toolName: 'Bash',
        decision: { behavior: 'deny', message: 'No.', interrupt: false },
        decidedBy,
      });
    expect(decided({ kind: 'operator', name: 'desktop' })).toBe('  ✗ Bash denied (by desktop): No.');
    expect(decided({ kind: 'operator' })).toBe('  ✗ Bash denied (operator): No.');
  });

  it('prints a diff stat like git', () => {
    const lines = formatStat({
      files: [
        { path: 'a.txt', oldPath: null, status: 'modified', added: 2, removed: 1, binary: false },
        { path: 'img.png', oldPath: null, status: 'added', added: 0, removed: 0, binary: true },
      ],
      added: 2,
      removed: 1,
    });
    expect(lines).toEqual([
      ' a.txt   | 3 ++-',
      ' img.png | Bin',
      ' 2 file(s) changed, 2 insertion(s)(+), 1 deletion(s)(-)',
    ]);
    expect(formatStat({ files: [], added: 0, removed: 0 })).toEqual(['no changes']);
  });
});
