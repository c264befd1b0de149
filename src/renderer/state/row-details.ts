// Per-row view state of the timeline that must survive virtualization (a row scrolled out and back
// keeps it): which rows are expanded and the full texts loaded on demand.
import { create } from 'zustand';

export interface RowDetail {
  expanded: boolean;
  /** Full text loaded from the host (tool result, message, input). */
  full: string | null;
  loading: boolean;
  error: string | null;
}

const EMPTY: RowDetail = { expanded: false, full: null, loading: false, error: null };

interface RowDetailsState {
  details: Map<string, RowDetail>;
}

export const useRowDetails = create<RowDetailsState>(() => ({ details: new Map() }));

export function rowDetail(key: string): (state: RowDetailsState) => RowDetail {
  return (state) => state.details.get(key) ?? EMPTY;
}

export function updateRowDetail(key: string, patch: Partial<RowDetail>): void {
  useRowDetails.setState((state) => {
    const details = new Map(state.details);
    details.set(key, { ...(state.details.get(key) ?? EMPTY), ...patch });
    return { details };
  });
}

export function clearRowDetails(): void {
  useRowDetails.setState({ details: new Map() });
}

/** Loads a full text once, keeping loading/error state on the row. */
export async function loadFullText(key: string, load: () => Promise<string>): Promise<void> {
  const current = useRowDetails.getState().details.get(key);
  if (current?.loading === true || current?.full != null) {
    updateRowDetail(key, { expanded: true });
    return;
  }
  updateRowDetail(key, { loading: true, error: null, expanded: true });
  try {
    updateRowDetail(key, { full: await load(), loading: false });
  } catch (error) {
    updateRowDetail(key, { loading: false, error: error instanceof Error ? error.message : String(error) });
  }
}
