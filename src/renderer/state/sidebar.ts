// Whether the goals sidebar is collapsed. The user's choice (button or Ctrl/⌘+B) is remembered in
// localStorage; with no choice made, the sidebar starts collapsed on narrow windows (below
// NARROW_PX) and open otherwise.
import { create } from 'zustand';

const STORAGE_KEY = 'overseer.sidebarCollapsed';
/** Below this window width the sidebar starts collapsed unless the user opened it before. */
export const NARROW_PX = 900;

function storedChoice(): boolean | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'true' ? true : value === 'false' ? false : null;
  } catch {
    return null;
  }
}

interface SidebarState {
  collapsed: boolean;
}

export const useSidebar = create<SidebarState>(() => ({
  collapsed: storedChoice() ?? window.innerWidth < NARROW_PX,
}));

export function setSidebarCollapsed(collapsed: boolean): void {
  useSidebar.setState({ collapsed });
  try {
    window.localStorage.setItem(STORAGE_KEY, String(collapsed));
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
}

export function toggleSidebar(): void {
  setSidebarCollapsed(!useSidebar.getState().collapsed);
}

/** Ctrl+B (⌘B on macOS) toggles the sidebar from anywhere in the console. */
export function isSidebarShortcut(event: KeyboardEvent): boolean {
  return (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'b';
}
