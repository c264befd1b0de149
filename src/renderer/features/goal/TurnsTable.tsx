// The goal's turns, newest first: outcome, tokens, cost and diff stat of each, with its diff one
// click away.
import { useState } from 'react';
import type { GoalDetail } from '../../../shared/domain/views';
import { DiffStatText } from '../../components/bits';
import { formatCost, formatTime, formatTokens, shortSha, turnNumber } from '../../lib/format';
import { openTurnDiff } from '../../state/diff-dialog';
import { outcomeLabel } from '../../state/timeline-rows';

/** Turns shown before "Show all" (newest first): a goal can have thousands. */
const FIRST_TURNS = 200;

export function TurnsTable({ detail }: { detail: GoalDetail }) {
  const [showAll, setShowAll] = useState(false);
  const newestFirst = [...detail.turns].reverse();
  const turns = showAll ? newestFirst : newestFirst.slice(0, FIRST_TURNS);
  if (turns.length === 0) return <p className="muted">No turns yet.</p>;
  return (
    <>
      <table className="turns-table" aria-label="Turns">
        <thead>
          <tr>
            <th scope="col">Turn</th>
            <th scope="col">Started</th>
            <th scope="col">Outcome</th>
            <th scope="col">Tokens</th>
            <th scope="col">Cost</th>
            <th scope="col">Checkpoints</th>
            <th scope="col">Changes</th>
          </tr>
        </thead>
        <tbody>
          {turns.map((turn) => (
            <tr key={`${turn.turnIndex}-${turn.attempt}`} data-testid="turn-row" data-turn={turn.turnIndex}>
              <th scope="row">
                {turnNumber(turn.turnIndex)}
                {turn.attempt > 1 ? ` (attempt ${turn.attempt})` : ''}
                {turn.compact ? ' · compact' : ''}
              </th>
              <td>{turn.startedAt === '' ? '—' : formatTime(turn.startedAt)}</td>
              <td>{turn.outcome === null ? turn.status : outcomeLabel(turn.outcome).text}</td>
              <td>{formatTokens(turn.tokens)}</td>
              <td>{formatCost(turn.costUsd)}</td>
              <td className="mono">
                {shortSha(turn.preSha)} → {shortSha(turn.postSha)}
              </td>
              <td>
                {turn.diffStat !== null ? (
                  <span className="turn-changes">
                    <DiffStatText
                      files={turn.diffStat.files}
                      added={turn.diffStat.added}
                      removed={turn.diffStat.removed}
                    />
                    {turn.diffStat.files > 0 && (
                      <button type="button" onClick={() => openTurnDiff(detail.goal.id, turn.turnIndex)}>
                        Open diff of turn {turnNumber(turn.turnIndex)}
                      </button>
                    )}
                  </span>
                ) : (
                  <span className="muted">{turn.status === 'running' ? 'running…' : 'no diff'}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {turns.length < newestFirst.length && (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {newestFirst.length} turns
        </button>
      )}
    </>
  );
}
