// The console shell: a skip link, title bar (sidebar toggle, search, inbox count, settings,
// connection), the goals sidebar (collapsible: button or Ctrl/⌘+B, remembered) and the current view;
// the permission inbox opens over any view.
import { lazy, Suspense, useEffect } from 'react';
import { TitleBar } from './features/TitleBar';
import { Toasts } from './features/Toasts';
import { Sidebar } from './features/goals/Sidebar';
import { InterruptedBanner } from './features/goals/InterruptedBanner';
import { GoalView } from './features/goal/GoalView';
import { HomeView } from './features/home/HomeView';
import { Loading } from './components/bits';
import { useRoute, type Route } from './state/route';
import { needsAccess, useConnection } from './state/connection';
import { AccessNeeded } from './features/AccessNeeded';
import { isSidebarShortcut, toggleSidebar, useSidebar } from './state/sidebar';

// Views the first paint of the goal list or a goal does not need load when first opened, so the
// console starts on less code (each is its own chunk).
const Inbox = lazy(() => import('./features/inbox/Inbox').then((module) => ({ default: module.Inbox })));
const NewGoalView = lazy(() =>
  import('./features/new-goal/NewGoalForm').then((module) => ({ default: module.NewGoalView })),
);
const SearchView = lazy(() =>
  import('./features/search/SearchView').then((module) => ({ default: module.SearchView })),
);
const SettingsView = lazy(() =>
  import('./features/settings/SettingsView').then((module) => ({ default: module.SettingsView })),
);

function View({ route }: { route: Route }) {
  switch (route.view) {
    case 'home':
      return <HomeView />;
    case 'new':
      return <NewGoalView />;
    case 'goal':
      return <GoalView key={route.goalId} goalId={route.goalId} tab={route.tab} />;
    case 'search':
      return <SearchView key={route.query} query={route.query} />;
    case 'settings':
      return <SettingsView />;
  }
}

export function App() {
  const route = useRoute((state) => state.route);
  const inboxOpen = useRoute((state) => state.inboxOpen);
  const status = useConnection((state) => state.status);
  const collapsed = useSidebar((state) => state.collapsed);
  useEffect(() => {
    const listener = (event: KeyboardEvent) => {
      if (!isSidebarShortcut(event)) return;
      event.preventDefault();
      toggleSidebar();
    };
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
  if (needsAccess(status)) return <AccessNeeded status={status} />;
  return (
    <div className="app">
      {/* Routes live in the hash, so the skip link moves focus itself instead of following #content. */}
      <a
        className="skip-link"
        href="#content"
        onClick={(event) => {
          event.preventDefault();
          document.getElementById('content')?.focus();
        }}
      >
        Skip to content
      </a>
      <TitleBar />
      <div className={collapsed ? 'layout sidebar-collapsed' : 'layout'}>
        <Sidebar hidden={collapsed} />
        <main id="content" tabIndex={-1} className="content">
          <InterruptedBanner />
          <Suspense fallback={<Loading label="Loading…" />}>
            <View route={route} />
          </Suspense>
        </main>
      </div>
      {inboxOpen && (
        <Suspense fallback={null}>
          <Inbox />
        </Suspense>
      )}
      <Toasts />
    </div>
  );
}
