import { describe, expect, it } from 'vitest';
import { safeJson, toolSummary } from '../../../src/shared/tool-input.js';
import { describeEvent } from '../../../src/main/cli/event-lines.js';

describe('toolSummary', () => {
  it('names the main argument of the common tools', () => {
    expect(toolSummary('Bash', { command: 'npm test', description: 'run tests' })).toBe('npm test');
    expect(toolSummary('Edit', { file_path: '/w/src/a.ts', old_string: 'a', new_string: 'b' })).toBe('/w/src/a.ts');
    expect(toolSummary('NotebookEdit', { notebook_path: '/w/n.ipynb' })).toBe('/w/n.ipynb');
    expect(toolSummary('Grep', { pattern: 'TODO', path: 'src' })).toBe('TODO in src');
    expect(toolSummary('mcp__srv__Bash', { command: 'ls' })).toBe('ls');
  });
  it('falls back to clipped JSON for other tools and never throws', () => {
    expect(toolSummary('Custom', { a: 1 })).toBe('{"a":1}');
    expect(toolSummary('Custom', { text: 'x'.repeat(500) })).toHaveLength(200);
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(safeJson(cyclic)).toBe('[object Object]');
  });
  it('is what the CLI prints for a tool call', () => {
    const line = describeEvent({
      kind: 'turn_output',
      goalId: '4c5e2c1e-8a0f-4e7e-9d55-7f7c3f0c6a11',
      turnIndex: 0,
      entry: { type: 'tool_use', toolUseId: 't1', name: 'Grep', input: { pattern: 'TODO', path: 'src' } },
    });
    expect(line).toBe('  tool: Grep TODO in src');
  });
  it('says "allowed with edits" with before → after when the operator edited the call', () => {
    const goalId = '4c5e2c1e-8a0f-4e7e-9d55-7f7c3f0c6a11';
    const decided = {
      kind: 'permission_decided' as const,
      goalId,
      requestId: 'r1',
      toolName: 'Bash',
      decidedBy: { kind: 'operator' as const },
    };
    expect(
      describeEvent({
        ...decided,
        decision: { behavior: 'allow', updatedInput: { command: 'ls -a' } },
        originalInput: { command: 'rm -rf x' },
      }),
    ).toBe('  ✓ Bash allowed with edits (operator): rm -rf x → ls -a');
    expect(describeEvent({ ...decided, decision: { behavior: 'allow', updatedInput: { command: 'ls' } } })).toBe(
      '  ✓ Bash allowed (operator)',
    );
  });
});
