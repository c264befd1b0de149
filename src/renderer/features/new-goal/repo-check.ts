// The New goal form's repository check: repo.validate (where the goal will run) through react-query,
// keyed by the runner and the path, so a stale answer never lands on a newer path and a path checked
// before answers from the cache. The form owns it; RepoField shows it and asks for checks.
import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { CommandResponse } from '../../../shared/contract';
import { errorMessage } from '../../lib/command';
import { useRunsOn, validateRepoWhereItRuns } from '../runners/runs-on';

export type RepoCheck =
  | { state: 'idle' }
  | { state: 'checking'; path: string }
  | { state: 'done'; path: string; result: CommandResponse<'repo.validate'> }
  | { state: 'failed'; path: string; message: string };

export interface RepoChecker {
  check: RepoCheck;
  /** Checks `path` (trimmed; empty clears the check). The same path again re-asks only after a failure. */
  validate: (path: string) => void;
  /** Forgets the check (the place the goal runs changed). */
  reset: () => void;
}

export function useRepoCheck(): RepoChecker {
  const runner = useRunsOn((state) => state.runner);
  const [path, setPath] = useState<string | null>(null);
  const query = useQuery({
    queryKey: ['repo.validate', runner, path],
    queryFn: () => validateRepoWhereItRuns(path ?? '', runner),
    enabled: path !== null,
    // A failure is the check's answer (shown under the field); blurring the field asks again.
    retry: false,
  });
  const check: RepoCheck =
    path === null
      ? { state: 'idle' }
      : query.isPending
        ? { state: 'checking', path }
        : query.isError
          ? { state: 'failed', path, message: errorMessage(query.error) }
          : { state: 'done', path, result: query.data };
  const validate = (text: string): void => {
    const trimmed = text.trim();
    if (trimmed === '') return setPath(null);
    if (trimmed === path && query.isError) void query.refetch();
    setPath(trimmed);
  };
  return { check, validate, reset: () => setPath(null) };
}
