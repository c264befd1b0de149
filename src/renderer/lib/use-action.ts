// A command run from a button: pending flag, the failure's message, and query invalidation after.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { errorMessage } from './command';

export interface Action<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  pending: boolean;
  error: string | null;
  clearError: () => void;
}

/** Wraps `fn`; after it settles, the given query keys are invalidated. Never throws. */
export function useAction<A extends unknown[], T>(
  fn: (...args: A) => Promise<T>,
  invalidate: readonly (readonly unknown[])[] = [],
): Action<A, T> {
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (...args: A): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await fn(...args);
    } catch (failure) {
      setError(errorMessage(failure));
      return undefined;
    } finally {
      setPending(false);
      for (const key of invalidate) void queryClient.invalidateQueries({ queryKey: key });
    }
  };
  return { run, pending, error, clearError: () => setError(null) };
}
