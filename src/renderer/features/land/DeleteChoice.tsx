// The Delete dialog's choice for a worktree goal: how many changed files are not committed
// anywhere, and "Commit to the branch, then delete" (the default when there are any: the kept
// branch holds the final snapshot) or delete everything.
import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { call } from '../../lib/command';
import { queryKeys } from '../../state/queries';

export function DeleteChoice({
  goalId,
  keepBranch,
  onChange,
}: {
  goalId: string;
  keepBranch: boolean;
  onChange: (keep: boolean) => void;
}) {
  const preview = useQuery({ queryKey: queryKeys.land(goalId), queryFn: () => call('land.preview', { goalId }) });
  const count = preview.data?.kind === 'worktree' ? preview.data.uncommittedFiles : 0;
  const branch = preview.data?.branch ?? 'its branch';
  const defaulted = useRef(false);
  useEffect(() => {
    if (defaulted.current || preview.data === undefined) return;
    defaulted.current = true;
    if (count > 0) onChange(true);
  }, [preview.data, count, onChange]);
  return (
    <fieldset className="radio-group delete-choice">
      <legend>
        {preview.isPending
          ? 'Checking for work not committed anywhere…'
          : `${count} changed file(s) are not committed anywhere`}
      </legend>
      <label>
        <input type="radio" name={`delete-${goalId}`} checked={keepBranch} onChange={() => onChange(true)} /> Commit to
        the branch, then delete (keeps {branch} with the final snapshot)
      </label>
      <label>
        <input type="radio" name={`delete-${goalId}`} checked={!keepBranch} onChange={() => onChange(false)} /> Delete
        the worktree and the branch
        {count > 0 ? ` (${count} changed file(s) are lost)` : ''}
      </label>
    </fieldset>
  );
}
