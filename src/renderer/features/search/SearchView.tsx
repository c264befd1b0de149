// Search across goals and transcripts (the host's full-text index). Matches are marked «like
// this» by the host and highlighted here; a hit opens its goal.
import { useState, type ReactNode } from 'react';
import { ErrorText, Loading } from '../../components/bits';
import { clip, turnNumber } from '../../lib/format';
import { useGoals, useSearch } from '../../state/queries';
import { navigate, openGoal } from '../../state/route';

function highlight(snippet: string): ReactNode[] {
  const parts: ReactNode[] = [];
  const re = /«([^»]*)»/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(snippet)) !== null) {
    if (match.index > last) parts.push(snippet.slice(last, match.index));
    parts.push(<mark key={match.index}>{match[1]}</mark>);
    last = match.index + match[0].length;
  }
  if (last < snippet.length) parts.push(snippet.slice(last));
  return parts;
}

export function SearchView({ query }: { query: string }) {
  const [text, setText] = useState(query);
  const results = useSearch(query);
  const goals = useGoals();
  const label = (goalId: string): string =>
    goals.data?.find((goal) => goal.id === goalId)?.description ?? `goal ${goalId.slice(0, 8)}`;
  return (
    <section className="view" aria-labelledby="search-title">
      <h2 id="search-title">Search</h2>
      <form
        role="search"
        className="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          navigate({ view: 'search', query: text.trim() });
        }}
      >
        <label htmlFor="search-input" className="visually-hidden">
          Search query
        </label>
        <input
          id="search-input"
          type="search"
          value={text}
          autoFocus
          placeholder="Words from goals, messages, commands, results…"
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      {results.isFetching && <Loading label="Searching…" />}
      <ErrorText error={results.error} />
      {results.data !== undefined && (
        <>
          <p role="status">{results.data.length === 0 ? 'No matches.' : `${results.data.length} matches`}</p>
          <ul className="search-hits" aria-label="Search results">
            {results.data.map((hit, index) => (
              <li key={`${hit.goalId}-${index}`}>
                <button type="button" className="search-hit" onClick={() => openGoal(hit.goalId)}>
                  <span className="hit-where">
                    {hit.kind === 'goal' ? 'Goal' : `Turn ${turnNumber(hit.turnIndex)}`} · {clip(label(hit.goalId), 70)}
                  </span>
                  <span className="hit-snippet">{highlight(hit.snippet)}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
