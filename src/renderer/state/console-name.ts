// This console's own name on NATS (`overseer serve --name`, the name it sends with the decisions it
// forwards to runners), read from `runners.list`, so a decision it made can read "(you)". Null
// without NATS or until known. Shares the runners list's cache with the runner views.
import { useQuery } from '@tanstack/react-query';
import { call } from '../lib/command';

export function useThisConsoleName(): string | null {
  const runners = useQuery({
    queryKey: ['runners'],
    queryFn: () => call('runners.list', {}),
    // The name never changes while the console runs: the runner views refresh the list anyway.
    staleTime: Number.POSITIVE_INFINITY,
  });
  return runners.data?.consoleName ?? null;
}
