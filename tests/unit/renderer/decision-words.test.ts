// A decision in words, as the timeline's chip and the goal's permission log say it: who decided
// (a local operator, a console by name, "(you)" when that console is this one, a rule by its text,
// a mode) and what happened to requests nobody decided.
import { describe, expect, it } from 'vitest';
import { decisionText, summarizeDecision } from '../../../src/renderer/state/decision-words';
import type { DecidedBy, PermissionDecision } from '../../../src/shared/domain/permission';

const allow: PermissionDecision = { behavior: 'allow', updatedInput: { command: 'ls' } };
const deny: PermissionDecision = { behavior: 'deny', message: 'not now', interrupt: false };

function chip(decision: PermissionDecision, by: DecidedBy, thisConsole?: string | null): string {
  return decisionText(summarizeDecision(decision, by, { command: 'ls' }), [], thisConsole).text;
}

describe('who decided, in words', () => {
  it('says "(you)" when the console that decided is this console', () => {
    expect(chip(allow, { kind: 'operator', name: 'laptop' }, 'laptop')).toBe('allowed by laptop (you)');
    expect(chip(deny, { kind: 'operator', name: 'laptop' }, 'laptop')).toBe('denied by laptop (you): not now');
  });

  it('names another console without "(you)"', () => {
    expect(chip(allow, { kind: 'operator', name: 'desktop' }, 'laptop')).toBe('allowed by desktop');
    // Names are compared exactly: a console named like another's prefix is not this one.
    expect(chip(allow, { kind: 'operator', name: 'laptop-2' }, 'laptop')).toBe('allowed by laptop-2');
  });

  it('names the console without "(you)" when this console has no name (no NATS)', () => {
    expect(chip(allow, { kind: 'operator', name: 'laptop' })).toBe('allowed by laptop');
    expect(chip(allow, { kind: 'operator', name: 'laptop' }, null)).toBe('allowed by laptop');
  });

  it('says "operator" for an answer that named no console, whatever this console is called', () => {
    expect(chip(allow, { kind: 'operator' }, 'laptop')).toBe('allowed by operator');
    expect(summarizeDecision(allow, { kind: 'operator' }).byConsole).toBeNull();
  });

  it('never calls a rule or a mode "you"', () => {
    expect(chip(allow, { kind: 'mode', mode: 'allow-all' }, 'laptop')).toBe('allowed by permission mode “allow-all”');
    expect(chip(deny, { kind: 'rule', ruleId: '.overseer/rules.json#0' }, 'laptop')).toBe(
      "denied by rule the goal's rule 1 (.overseer/rules.json): not now",
    );
  });

  it('keeps "(you)" on an allow with edits', () => {
    const edited: PermissionDecision = { behavior: 'allow', updatedInput: { command: 'ls -la' } };
    expect(chip(edited, { kind: 'operator', name: 'laptop' }, 'laptop')).toBe('allowed with edits by laptop (you)');
  });

  it('says what happened to a request nobody decided', () => {
    expect(chip(deny, { kind: 'timeout' }, 'laptop')).toBe('denied: nobody decided in time');
    expect(chip(deny, { kind: 'expired' }, 'laptop')).toBe('expired: Overseer restarted while it waited (not run)');
  });
});
