// Turn prompts (docs/driver.md, "The goal loop" step 4): the operator interrupt block, the sleep-wake
// tick, the goal description, and the acceptance failures of the previous attempt with their
// evidence tails plus a `[Turn i+1/max]` line. Compact turns are exactly `/compact <focus>`.
import type { AcceptanceFailure } from '../../shared/domain/goal.js';

export const INTERRUPT_OPEN = '[OPERATOR INTERRUPT]';
export const INTERRUPT_CLOSE = '[END OPERATOR INTERRUPT]';
const EVIDENCE_TAIL_LINES = 20;
const EVIDENCE_TAIL_CHARS = 1500;

/** `[OPERATOR INTERRUPT]`, each note on its own line(s), `[END OPERATOR INTERRUPT]`; empty when no notes. */
export function renderInterruptBlock(notes: readonly string[]): string {
  if (notes.length === 0) return '';
  return `${INTERRUPT_OPEN}\n${notes.map((note) => `${note}\n`).join('')}${INTERRUPT_CLOSE}\n`;
}

/** The synthetic prompt of the turn after a sleep wake (stable text, test `sleep_wake_tick_prompt_is_stable`). */
export function buildTickPrompt(reason: string, elapsedMs: number): string {
  return `<tick>\nkind: sleep_wake\nelapsed_ms: ${Math.max(0, Math.round(elapsedMs))}\nreason: ${reason}\n</tick>`;
}

/** The last lines of a failure's evidence, at most EVIDENCE_TAIL_LINES lines and EVIDENCE_TAIL_CHARS characters. */
export function evidenceTail(evidence: string): string {
  const lines = evidence.replace(/\s+$/, '').split('\n');
  let tail = lines.slice(-EVIDENCE_TAIL_LINES).join('\n');
  if (tail.length > EVIDENCE_TAIL_CHARS) tail = tail.slice(tail.length - EVIDENCE_TAIL_CHARS);
  return tail;
}

/** "Previous attempt failed:" with one numbered line per failure and its evidence tail, indented. */
export function renderFailures(failures: readonly AcceptanceFailure[]): string {
  if (failures.length === 0) return '';
  const lines = ['Previous attempt failed:'];
  failures.forEach((failure, index) => {
    lines.push(`  ${index + 1}. ${failure.criterionLabel}: ${failure.message}`);
    if (failure.evidence !== null && failure.evidence.trim() !== '') {
      for (const line of evidenceTail(failure.evidence).split('\n')) lines.push(`     | ${line}`);
    }
  });
  return lines.join('\n');
}

export interface TurnPromptInput {
  description: string;
  /** 0-based turn index; rendered 1-based. */
  turnIndex: number;
  maxTurns: number;
  priorFailures: readonly AcceptanceFailure[];
  operatorNotes: readonly string[];
  tickPrompt: string | null;
  /** A summary stored by an earlier compact turn, given when the session it summarised is gone. */
  compactSummary: string | null;
  /** After the operator rolled the files back: what was undone (leads the prompt). */
  rollbackNote?: string | null;
}

export const ROLLBACK_OPEN = '[FILES ROLLED BACK]';
export const ROLLBACK_CLOSE = '[END FILES ROLLED BACK]';

/**
 * The prompt of a work turn, in this order: rollback note, interrupt block, tick, prior summary,
 * description, previous failures, `[Turn i+1/max]`.
 */
export function composeTurnPrompt(input: TurnPromptInput): string {
  const parts: string[] = [];
  if (input.rollbackNote !== undefined && input.rollbackNote !== null && input.rollbackNote.trim() !== '') {
    parts.push(`${ROLLBACK_OPEN}\n${input.rollbackNote.trim()}\n${ROLLBACK_CLOSE}\n`);
  }
  const interrupt = renderInterruptBlock(input.operatorNotes);
  if (interrupt !== '') parts.push(interrupt);
  if (input.tickPrompt !== null && input.tickPrompt !== '') parts.push(`${input.tickPrompt}\n`);
  if (input.compactSummary !== null && input.compactSummary.trim() !== '') {
    parts.push(`[SUMMARY OF EARLIER WORK]\n${input.compactSummary.trim()}\n[END SUMMARY OF EARLIER WORK]\n`);
  }
  parts.push(input.description.trim());
  const failures = renderFailures(input.priorFailures);
  if (failures !== '') parts.push(`\n${failures}`);
  parts.push(`\n[Turn ${input.turnIndex + 1}/${input.maxTurns}]`);
  return parts.join('\n');
}

/** The prompt of a compact turn. */
export function compactPrompt(focus: string): string {
  return `/compact ${focus.trim() === '' ? 'continue working' : focus}`;
}
