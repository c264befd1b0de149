// Which turn's diff is open (zustand), so any timeline row or the turns table can open it.
import { create } from 'zustand';

interface DiffDialogState {
  /** goal + turn whose diff dialog is open, or null. */
  open: { goalId: string; turnIndex: number } | null;
  viewType: 'unified' | 'split';
}

export const useDiffDialog = create<DiffDialogState>(() => ({ open: null, viewType: 'unified' }));

export function openTurnDiff(goalId: string, turnIndex: number): void {
  useDiffDialog.setState({ open: { goalId, turnIndex } });
}

export function closeTurnDiff(): void {
  useDiffDialog.setState({ open: null });
}

export function setDiffViewType(viewType: 'unified' | 'split'): void {
  useDiffDialog.setState({ viewType });
}
