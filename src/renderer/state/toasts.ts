// Transient messages (zustand): a failed command that has no form to show its error in, or a
// short confirmation. Errors stay until dismissed; the rest fade after a few seconds.
import { create } from 'zustand';

export interface Toast {
  id: number;
  tone: 'info' | 'error';
  text: string;
}

interface ToastState {
  toasts: Toast[];
}

export const useToasts = create<ToastState>(() => ({ toasts: [] }));
let nextId = 1;

export function dismissToast(id: number): void {
  useToasts.setState((state) => ({ toasts: state.toasts.filter((toast) => toast.id !== id) }));
}

export function showToast(tone: Toast['tone'], text: string): void {
  const id = nextId++;
  useToasts.setState((state) => ({ toasts: [...state.toasts.slice(-4), { id, tone, text }] }));
  if (tone === 'info') setTimeout(() => dismissToast(id), 6000);
}
