// The worktree setup on the New goal form: prefilled from the repository's stored settings
// (Settings → Repositories), editable for this goal only; the lockfile hint when a lockfile is
// there and no setup is configured. What the user leaves untouched is not sent (the repository's
// settings apply when the goal starts).
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { create } from 'zustand';
import type { WorktreeSetup } from '../../../shared/domain/landing';
import { call } from '../../lib/command';

const useSetupOverride = create<{ setup: WorktreeSetup | null; set: (setup: WorktreeSetup | null) => void }>((set) => ({
  setup: null,
  set: (setup) => set({ setup }),
}));

/** This goal's own setup for goal.create (null: the repository's stored settings apply). */
export function setupOverride(): WorktreeSetup | null {
  return useSetupOverride.getState().setup;
}

export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

export function SetupFields({ repoPath, inPlace }: { repoPath: string | null; inPlace: boolean }) {
  const settings = useQuery({
    queryKey: ['repo-settings', repoPath],
    queryFn: () => call('repo.settings.get', { repoPath: repoPath ?? '' }),
    enabled: repoPath !== null && !inPlace,
  });
  const setOverride = useSetupOverride((state) => state.set);
  const stored = settings.data?.setup;
  const [commands, setCommands] = useState(stored?.commands.join('\n') ?? '');
  const [copy, setCopy] = useState(stored?.copy.join('\n') ?? '');
  const [shared, setShared] = useState(stored?.shared.join('\n') ?? '');
  // The repository's stored setup (another repository, or loaded) replaces the fields and any override.
  const [shown, setShown] = useState(stored);
  if (shown !== stored) {
    setShown(stored);
    setCommands(stored?.commands.join('\n') ?? '');
    setCopy(stored?.copy.join('\n') ?? '');
    setShared(stored?.shared.join('\n') ?? '');
  }
  useEffect(() => setOverride(null), [stored, setOverride]);
  useEffect(() => () => setOverride(null), [setOverride]);
  if (inPlace || repoPath === null) return null;

  const update = (next: { commands?: string; copy?: string; shared?: string }): void => {
    const value = { commands: next.commands ?? commands, copy: next.copy ?? copy, shared: next.shared ?? shared };
    setCommands(value.commands);
    setCopy(value.copy);
    setShared(value.shared);
    const setup = { commands: lines(value.commands), copy: lines(value.copy), shared: lines(value.shared) };
    const same =
      stored !== undefined &&
      JSON.stringify(setup) === JSON.stringify({ commands: stored.commands, copy: stored.copy, shared: stored.shared });
    setOverride(same ? null : setup);
  };
  const hint = settings.data?.lockfileHint ?? null;
  const showHint = hint !== null && lines(commands).length === 0 && lines(shared).length === 0;

  return (
    <fieldset className="setup-fields">
      <legend>Worktree setup</legend>
      <div className="field">
        <label htmlFor="goal-setup-commands">Setup commands</label>
        <textarea
          id="goal-setup-commands"
          rows={2}
          spellCheck={false}
          value={commands}
          placeholder={hint?.command ?? 'npm ci'}
          onChange={(event) => update({ commands: event.target.value })}
        />
        <span className="hint">
          One per line, run in the new worktree before the first turn (not a turn; a failure stops the goal).
        </span>
        {showHint && (
          <p className="hint lockfile-hint" data-testid="lockfile-hint">
            {hint.message}{' '}
            <button type="button" onClick={() => update({ commands: hint.command })}>
              Add {hint.command}
            </button>
          </p>
        )}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor="goal-setup-copy">Files to copy</label>
          <textarea
            id="goal-setup-copy"
            rows={2}
            spellCheck={false}
            value={copy}
            placeholder={'.env\nconfig/*.local.json'}
            onChange={(event) => update({ copy: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="goal-setup-shared">Shared folders (linked, shared with the main checkout)</label>
          <textarea
            id="goal-setup-shared"
            rows={2}
            spellCheck={false}
            value={shared}
            placeholder="node_modules"
            onChange={(event) => update({ shared: event.target.value })}
          />
        </div>
      </div>
      <span className="hint">
        {settings.data?.stored === true
          ? 'Prefilled from this repository’s settings; changes here apply to this goal only.'
          : 'Store defaults for this repository in Settings → Repositories.'}
      </span>
    </fieldset>
  );
}
