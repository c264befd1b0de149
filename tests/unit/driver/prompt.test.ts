import { describe, expect, it } from 'vitest';
import {
  buildTickPrompt,
  compactPrompt,
  composeTurnPrompt,
  renderFailures,
  renderInterruptBlock,
} from '../../../src/main/driver/prompt.js';

const base = {
  description: '  Fix the parser.  ',
  turnIndex: 0,
  maxTurns: 5,
  priorFailures: [],
  operatorNotes: [],
  tickPrompt: null,
  compactSummary: null,
};

describe('prompt rendering', () => {
  it('a plain turn is the trimmed description and the 1-based [Turn i/max] line', () => {
    expect(composeTurnPrompt(base)).toBe('Fix the parser.\n\n[Turn 1/5]');
    expect(composeTurnPrompt({ ...base, turnIndex: 3, maxTurns: 9 })).toBe('Fix the parser.\n\n[Turn 4/9]');
  });

  it('interrupt notes come first, in FIFO order, inside the operator block and a blank line', () => {
    const prompt = composeTurnPrompt({ ...base, operatorNotes: ['use tabs', 'skip the docs'] });
    expect(prompt).toBe(
      '[OPERATOR INTERRUPT]\nuse tabs\nskip the docs\n[END OPERATOR INTERRUPT]\n\nFix the parser.\n\n[Turn 1/5]',
    );
    expect(renderInterruptBlock([])).toBe('');
  });

  it('the tick prompt is stable and goes before the description', () => {
    const tick = buildTickPrompt('waiting for new work', 1234.4);
    expect(tick).toBe('<tick>\nkind: sleep_wake\nelapsed_ms: 1234\nreason: waiting for new work\n</tick>');
    expect(composeTurnPrompt({ ...base, tickPrompt: tick })).toBe(`${tick}\n\nFix the parser.\n\n[Turn 1/5]`);
  });

  it('previous failures are numbered 1-based with label, message and the evidence tail', () => {
    const evidence = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n');
    const prompt = composeTurnPrompt({
      ...base,
      turnIndex: 1,
      priorFailures: [
        { criterionIndex: 0, criterionLabel: 'shell:npm test', message: 'exit 1 != 0', evidence },
        { criterionIndex: 2, criterionLabel: 'file:out.txt', message: 'file not found: out.txt', evidence: null },
      ],
    });
    expect(prompt).toContain('Fix the parser.\n\nPrevious attempt failed:\n  1. shell:npm test: exit 1 != 0\n');
    expect(prompt).toContain('     | line 30\n  2. file:out.txt: file not found: out.txt\n\n[Turn 2/5]');
    expect(prompt).toContain('     | line 11\n');
    expect(prompt).not.toContain('| line 10\n');
    expect(renderFailures([])).toBe('');
  });

  it('a stored summary is offered between the tick and the description', () => {
    const prompt = composeTurnPrompt({ ...base, compactSummary: 'did A and B' });
    expect(prompt).toBe(
      '[SUMMARY OF EARLIER WORK]\ndid A and B\n[END SUMMARY OF EARLIER WORK]\n\nFix the parser.\n\n[Turn 1/5]',
    );
  });

  it('a compact turn is exactly /compact and the focus', () => {
    expect(compactPrompt('continue goal: x')).toBe('/compact continue goal: x');
    expect(compactPrompt('')).toBe('/compact continue working');
  });
});
