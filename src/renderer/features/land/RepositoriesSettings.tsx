// Settings → Repositories: each repository's worktree setup (setup commands, files to copy, shared
// folders linked from the main checkout), added by path, edited, removed. New goals on a
// repository start with these (the New goal form prefills them).
import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { RepositorySettings } from '../../../shared/domain/landing';
import { ErrorText, Loading } from '../../components/bits';
import { call } from '../../lib/command';
import { failureText, useCommandMutation } from '../../lib/command-mutation';
import { lines } from './SetupFields';

const listKey = ['repo-settings-list'] as const;

function RepositoryForm({ initial, onDone }: { initial: RepositorySettings | null; onDone: () => void }) {
  const [path, setPath] = useState(initial?.repoPath ?? '');
  const [commands, setCommands] = useState(initial?.setup.commands.join('\n') ?? '');
  const [copy, setCopy] = useState(initial?.setup.copy.join('\n') ?? '');
  const [shared, setShared] = useState(initial?.setup.shared.join('\n') ?? '');
  const save = useCommandMutation({
    mutationFn: () =>
      call('repo.settings.update', {
        repoPath: path.trim(),
        setup: { commands: lines(commands), copy: lines(copy), shared: lines(shared) },
      }),
    invalidate: [listKey, ['repo-settings']],
    onSuccess: onDone,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    save.mutate();
  };
  const id = initial === null ? 'new' : initial.repoPath.replace(/[^a-z0-9]/gi, '-');
  return (
    <form
      className="form repository-form"
      aria-label={initial === null ? 'Add a repository' : `Setup of ${initial.repoPath}`}
      onSubmit={submit}
    >
      <div className="field">
        <label htmlFor={`repo-path-${id}`}>Repository folder</label>
        <input
          id={`repo-path-${id}`}
          value={path}
          readOnly={initial !== null}
          onChange={(event) => setPath(event.target.value)}
          placeholder="~/src/app"
        />
      </div>
      <div className="field">
        <label htmlFor={`repo-commands-${id}`}>Setup commands (one per line)</label>
        <textarea
          id={`repo-commands-${id}`}
          rows={2}
          spellCheck={false}
          value={commands}
          placeholder="npm ci"
          onChange={(event) => setCommands(event.target.value)}
        />
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`repo-copy-${id}`}>Files to copy (globs of ignored/untracked files)</label>
          <textarea
            id={`repo-copy-${id}`}
            rows={2}
            spellCheck={false}
            value={copy}
            placeholder=".env"
            onChange={(event) => setCopy(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`repo-shared-${id}`}>
            Shared folders (linked: shared with the main checkout, not isolated)
          </label>
          <textarea
            id={`repo-shared-${id}`}
            rows={2}
            spellCheck={false}
            value={shared}
            placeholder="node_modules"
            onChange={(event) => setShared(event.target.value)}
          />
        </div>
      </div>
      {save.error !== null && <p className="error-text">{failureText(save)}</p>}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || path.trim() === ''}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export function RepositoriesSettings() {
  const list = useQuery({
    queryKey: listKey,
    queryFn: async () => (await call('repo.settings.list', {})).repositories,
  });
  const [editing, setEditing] = useState<string | null>(null);
  const remove = useCommandMutation({
    mutationFn: (repoPath: string) => call('repo.settings.delete', { repoPath }),
    invalidate: [listKey, ['repo-settings']],
  });
  if (list.isPending) return <Loading label="Loading repositories…" />;
  if (list.error !== null) return <ErrorText error={list.error} />;
  return (
    <div className="repositories-settings">
      {list.data.length === 0 && editing !== 'new' && <p className="hint">No repository has a worktree setup yet.</p>}
      <ul className="repository-list">
        {list.data.map((repo) =>
          editing === repo.repoPath ? (
            <li key={repo.repoPath}>
              <RepositoryForm initial={repo} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li key={repo.repoPath}>
              <code>{repo.repoPath}</code>: {repo.setup.commands.length} command(s), {repo.setup.copy.length} copy
              glob(s), {repo.setup.shared.length} shared folder(s){' '}
              <button type="button" onClick={() => setEditing(repo.repoPath)}>
                Edit
              </button>{' '}
              <button type="button" disabled={remove.isPending} onClick={() => remove.mutate(repo.repoPath)}>
                Remove
              </button>
            </li>
          ),
        )}
      </ul>
      {editing === 'new' ? (
        <RepositoryForm initial={null} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" onClick={() => setEditing('new')}>
          Add a repository
        </button>
      )}
      {remove.error !== null && <p className="error-text">{failureText(remove)}</p>}
    </div>
  );
}
