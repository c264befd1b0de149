// A rebase that stopped on conflicts (and was undone): each file with how it conflicts, the note
// drafted for Claude (editable), and "Hand the conflict to Claude": a running goal gets the note as
// its next turn's; a goal that has ended runs again in the same worktree and session, within the
// extra budget chosen here (turns always; wall time, tokens and cost only when filled in).
import { useState } from 'react';
import type { BudgetExtension } from '../../../shared/commands/land';
import { describeConflict, type FileConflict } from '../../../shared/domain/landing';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { queryKeys } from '../../state/queries';

/** A positive number typed in a field, or undefined when empty; NaN when it is not one. */
function optionalNumber(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value > 0 ? value : Number.NaN;
}

export function RebaseConflicts({
  goalId,
  onto,
  files,
  note,
  running,
  invalidate,
}: {
  goalId: string;
  onto: string;
  files: FileConflict[];
  note: string;
  running: boolean;
  invalidate: readonly (readonly unknown[])[];
}) {
  const [text, setText] = useState(note);
  const [turns, setTurns] = useState('3');
  const [minutes, setMinutes] = useState('');
  const [tokens, setTokens] = useState('');
  const [cost, setCost] = useState('');
  const [result, setResult] = useState<string | null>(null);
  const hand = useCommandMutation({
    mutationFn: (extend: BudgetExtension) => call('land.handToClaude', { goalId, note: text, extend }),
    invalidate: [...invalidate, queryKeys.goal(goalId), queryKeys.goals],
    onSuccess: (answer) => setResult(answer.message),
  });

  const turnCount = Number(turns);
  const extra = { wallTimeMs: optionalNumber(minutes), tokens: optionalNumber(tokens), costUsd: optionalNumber(cost) };
  const invalid =
    !Number.isInteger(turnCount) || turnCount < 1
      ? 'Extra turns: a whole number of at least 1'
      : Object.values(extra).some((value) => Number.isNaN(value))
        ? 'Extra wall time, tokens and cost: positive numbers, or empty'
        : null;
  const submit = (): void => {
    if (invalid !== null) return;
    const extend: BudgetExtension = { turns: turnCount };
    if (extra.wallTimeMs !== undefined) extend.wallTimeMs = Math.round(extra.wallTimeMs * 60_000);
    if (extra.tokens !== undefined) extend.tokens = Math.round(extra.tokens);
    if (extra.costUsd !== undefined) extend.costUsd = extra.costUsd;
    hand.mutate(extend);
  };

  return (
    <div className="land-conflicts" role="alert">
      <p>
        The rebase onto {onto} stopped on conflicts and was undone: the branch, the worktree and your checkout are as
        they were. Conflicting files:
      </p>
      <ul>
        {files.map((file) => (
          <li key={file.path} data-testid="land-conflict">
            <code>{file.path}</code>: {describeConflict(file.kind, onto)}
          </li>
        ))}
      </ul>
      <div className="field">
        <label htmlFor={`conflict-note-${goalId}`}>Note for Claude</label>
        <textarea
          id={`conflict-note-${goalId}`}
          rows={5}
          value={text}
          spellCheck={false}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      {!running && (
        <fieldset className="field-row">
          <legend>
            Budget for Claude&apos;s work on it (the goal has ended: it runs again in the same worktree and session)
          </legend>
          <div className="field">
            <label htmlFor={`handoff-turns-${goalId}`}>Extra turns</label>
            <input
              id={`handoff-turns-${goalId}`}
              type="number"
              min={1}
              step={1}
              value={turns}
              onChange={(event) => setTurns(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`handoff-minutes-${goalId}`}>Extra wall time (minutes)</label>
            <input
              id={`handoff-minutes-${goalId}`}
              type="number"
              min={1}
              placeholder="keep the limit"
              value={minutes}
              onChange={(event) => setMinutes(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`handoff-tokens-${goalId}`}>Extra tokens</label>
            <input
              id={`handoff-tokens-${goalId}`}
              type="number"
              min={1}
              placeholder="keep the limit"
              value={tokens}
              onChange={(event) => setTokens(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`handoff-cost-${goalId}`}>Extra cost (USD)</label>
            <input
              id={`handoff-cost-${goalId}`}
              type="number"
              min={0.01}
              step={0.01}
              placeholder="keep the limit"
              value={cost}
              onChange={(event) => setCost(event.target.value)}
            />
          </div>
        </fieldset>
      )}
      {invalid !== null && !running && <p className="error-text">{invalid}</p>}
      <button
        type="button"
        className="primary"
        disabled={hand.isPending || result !== null || text.trim() === '' || (!running && invalid !== null)}
        onClick={submit}
      >
        {result !== null
          ? 'Handed to Claude'
          : running
            ? 'Hand the conflict to Claude as the next turn’s note'
            : `Hand the conflict to Claude (up to ${Number.isInteger(turnCount) && turnCount > 0 ? turnCount : '?'} more turn${turnCount === 1 ? '' : 's'})`}
      </button>
      {result !== null && (
        <p className="hint" role="status">
          {result}. When it ends, rebase again.
        </p>
      )}
      {hand.error !== null && <p className="error-text">{failureText(hand)}</p>}
    </div>
  );
}
