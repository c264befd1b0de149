import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefaultAcceptanceEvaluator, NoopAcceptanceEvaluator } from '../../../src/main/driver/acceptance.js';
import { tailBytes } from '../../../src/main/driver/acceptance/shell-run.js';
import type { AcceptanceCriterion } from '../../../src/shared/domain/goal.js';

const shell = (
  command: string,
  over: Partial<Extract<AcceptanceCriterion, { kind: 'shell_command' }>> = {},
): AcceptanceCriterion => ({
  kind: 'shell_command',
  command,
  expectedExit: 0,
  stdoutMustMatch: null,
  timeoutSecs: 30,
  ...over,
});
const file = (path: string, regex: string, required = true): AcceptanceCriterion => ({
  kind: 'file_matches',
  path,
  regex,
  required,
});

describe('DefaultAcceptanceEvaluator', () => {
  let dir: string;
  let outside: string;
  const evaluator = new DefaultAcceptanceEvaluator();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'accept-'));
    outside = mkdtempSync(join(tmpdir(), 'accept-outside-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('empty criteria are met', async () => {
    expect((await evaluator.evaluate([], dir)).met).toBe(true);
    expect((await new NoopAcceptanceEvaluator().evaluate()).met).toBe(true);
  });

  it('runs every criterion in order and keeps indexes (true/false/true → one failure at 1)', async () => {
    const verdict = await evaluator.evaluate([shell('true'), shell('false'), shell('true')], dir);
    expect(verdict.met).toBe(false);
    expect(verdict.failures).toHaveLength(1);
    expect(verdict.failures[0]).toMatchObject({
      criterionIndex: 1,
      criterionLabel: 'shell:false',
      message: 'exit 1 != 0',
    });
  });

  it('runs in the workspace, honours expectedExit and the stdout regex', async () => {
    writeFileSync(join(dir, 'marker.txt'), 'x');
    expect((await evaluator.evaluate([shell('ls marker.txt', { stdoutMustMatch: '^marker' })], dir)).met).toBe(true);
    expect((await evaluator.evaluate([shell('exit 3', { expectedExit: 3 })], dir)).met).toBe(true);
    const miss = await evaluator.evaluate([shell('echo hello', { stdoutMustMatch: 'bye' })], dir);
    expect(miss.failures[0]?.message).toBe('stdout did not match bye');
  });

  it('shell failure evidence holds the tail of stdout and stderr', async () => {
    const verdict = await evaluator.evaluate([shell('echo out-text; echo err-text >&2; exit 2')], dir);
    expect(verdict.failures[0]?.message).toBe('exit 2 != 0');
    expect(verdict.failures[0]?.evidence).toBe('out-text\n\n--- STDERR ---\nerr-text\n');
  });

  it('reads both pipes while the command runs (output larger than a pipe buffer does not stall)', async () => {
    const verdict = await evaluator.evaluate(
      [shell('head -c 3000000 /dev/zero | tr "\\0" a; head -c 3000000 /dev/zero | tr "\\0" b >&2; echo; echo end')],
      dir,
    );
    expect(verdict.met).toBe(true);
    const failing = await evaluator.evaluate(
      [shell('head -c 3000000 /dev/zero | tr "\\0" a; echo; echo tail-line; exit 1')],
      dir,
    );
    expect(failing.failures[0]?.evidence?.length).toBeLessThanOrEqual(4096);
    expect(failing.failures[0]?.evidence).toContain('tail-line');
  });

  it('kills a command that runs past its timeout', async () => {
    const verdict = await evaluator.evaluate([shell('sleep 30', { timeoutSecs: 1 })], dir);
    expect(verdict.failures[0]?.message).toBe('timed out after 1s');
  });

  it('an abort signal stops a running command', async () => {
    const controller = new AbortController();
    const pending = evaluator.evaluate([shell('sleep 30')], dir, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await pending).failures[0]?.message).toBe('cancelled');
  });

  it('an invalid stdout regex is a failure, not a thrown error', async () => {
    const verdict = await evaluator.evaluate([shell('true', { stdoutMustMatch: '(' })], dir);
    expect(verdict.failures[0]?.message).toMatch(/^invalid stdout regex \(: /);
  });

  it('file_matches: match, miss, missing (required or not), bad regex', async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const answer = 42;\n');
    const verdict = await evaluator.evaluate(
      [
        file('src/a.ts', 'answer = \\d+'),
        file('src/a.ts', 'nope'),
        file('missing.txt', 'x'),
        file('optional.txt', 'x', false),
        file('src/a.ts', '['),
      ],
      dir,
    );
    expect(verdict.failures.map((f) => [f.criterionIndex, f.criterionLabel, f.message])).toEqual([
      [1, 'file:src/a.ts', 'file_matches(src/a.ts): regex did not match: nope'],
      [2, 'file:missing.txt', 'file not found: missing.txt'],
      [4, 'file:src/a.ts', expect.stringMatching(/^invalid regex \[: /)],
    ]);
  });

  it('file_matches is confined to the workspace (.. paths, absolute paths and symlinks out)', async () => {
    writeFileSync(join(outside, 'secret.txt'), 'secret');
    symlinkSync(join(outside, 'secret.txt'), join(dir, 'link.txt'));
    const verdict = await evaluator.evaluate(
      [
        file('../' + join(outside, 'secret.txt').split('/').pop(), 'secret'),
        file(join(outside, 'secret.txt'), 'secret'),
        file('link.txt', 'secret'),
      ],
      dir,
    );
    expect(verdict.met).toBe(false);
    expect(verdict.failures).toHaveLength(3);
    for (const failure of verdict.failures) expect(failure.message).toMatch(/escapes workspace/);
  });
});

describe('tailBytes', () => {
  it('keeps the last bytes at a character boundary', () => {
    expect(tailBytes('hello', 10)).toBe('hello');
    expect(tailBytes('abcdef', 3)).toBe('def');
    expect(tailBytes('ééé', 3)).toBe('é');
  });
});
