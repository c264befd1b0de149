// A host command run from a button, on react-query's useMutation: the query keys it refreshes once it
// settles, and its failure as the message the operator reads. Pending state, per-call callbacks and
// reset come from useMutation itself.
import { useMutation, useQueryClient, type QueryKey, type UseMutationOptions } from '@tanstack/react-query';
import { errorMessage } from './command';

export interface CommandMutationOptions<TData, TVariables> extends Omit<
  UseMutationOptions<TData, Error, TVariables>,
  'onSettled'
> {
  /**
   * Query keys invalidated once the command settles, failed or not: a refused command usually means
   * the view was stale (the goal already ended, the file changed), so it is refreshed either way.
   */
  invalidate?: readonly QueryKey[];
}

/** useMutation for a host command; `invalidate` is refreshed after it settles (not awaited). */
export function useCommandMutation<TData, TVariables = void>({
  invalidate = [],
  ...options
}: CommandMutationOptions<TData, TVariables>) {
  const queryClient = useQueryClient();
  return useMutation<TData, Error, TVariables>({
    ...options,
    onSettled: () => {
      for (const queryKey of invalidate) void queryClient.invalidateQueries({ queryKey });
    },
  });
}

/** The failed command's message (the host's message plus field issues), or null. */
export function failureText(mutation: { error: Error | null }): string | null {
  return mutation.error === null ? null : errorMessage(mutation.error);
}
