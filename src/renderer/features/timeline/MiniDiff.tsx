// An Edit's or Write's change in the timeline, small: the replaced lines and their replacement
// with −/+ markers (not colour alone), from jsdiff. The full diff of the turn is one click away.
import { useMemo } from 'react';
import { diffLines } from 'diff';
import { workspaceRelative } from '../../../shared/workspace-paths';
import type { MiniChange } from '../../state/timeline-rows';

/** Lines shown before "… N more lines". */
const MAX_LINES = 12;

interface Line {
  marker: '+' | '−' | ' ';
  text: string;
}

export function miniDiffLines(before: string, after: string): Line[] {
  const lines: Line[] = [];
  for (const part of diffLines(before, after)) {
    const marker = part.added ? '+' : part.removed ? '−' : ' ';
    const texts = part.value.endsWith('\n') ? part.value.slice(0, -1).split('\n') : part.value.split('\n');
    for (const text of texts) lines.push({ marker, text });
  }
  return lines;
}

export function MiniDiff({ change, workspace }: { change: MiniChange; workspace: string | null }) {
  const lines = useMemo(() => miniDiffLines(change.before, change.after), [change.before, change.after]);
  const shown = lines.slice(0, MAX_LINES);
  const more = lines.length - shown.length;
  return (
    <figure
      className="mini-diff"
      data-testid="mini-diff"
      aria-label={`${change.write ? 'Content written to' : 'Change to'} ${workspaceRelative(change.path, workspace)}`}
    >
      <pre className="mini-diff-lines">
        {shown.map((line, index) => (
          <span
            key={index}
            className={line.marker === '+' ? 'mini-added' : line.marker === '−' ? 'mini-removed' : 'mini-context'}
          >
            <span className="mini-marker" aria-hidden="true">
              {line.marker}
            </span>
            <span className="visually-hidden">
              {line.marker === '+' ? 'added: ' : line.marker === '−' ? 'removed: ' : ''}
            </span>
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
      {(more > 0 || change.clipped) && (
        <figcaption className="hint">
          {more > 0 ? `… ${more} more ${more === 1 ? 'line' : 'lines'}` : '…'}
          {change.clipped ? ' (preview cut; the turn’s diff has it all)' : ''}
        </figcaption>
      )}
    </figure>
  );
}
