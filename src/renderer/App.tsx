// The console shell: title bar (search, inbox count, settings, connection), the goals sidebar,
// and the current view; the permission inbox opens over any view.
import { TitleBar } from './features/TitleBar';
import { Toasts } from './features/Toasts';
import { Sidebar } from './features/goals/Sidebar';
import { InterruptedBanner } from './features/goals/InterruptedBanner';
import { GoalView } from './features/goal/GoalView';
import { HomeView } from './features/home/HomeView';
import { Inbox } from './features/inbox/Inbox';
import { NewGoalView } from './features/new-goal/NewGoalForm';
import { SearchView } from './features/search/SearchView';
import { SettingsView } from './features/settings/SettingsView';
import { useRoute, type Route } from './state/route';
import { needsAccess, useConnection } from './state/connection';
import { AccessNeeded } from './features/AccessNeeded';

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
  if (needsAccess(status)) return <AccessNeeded status={status} />;
  return (
    <div className="app">
      <TitleBar />
      <div className="layout">
        <Sidebar />
        <main className="content">
          <InterruptedBanner />
          <View route={route} />
        </main>
      </div>
      {inboxOpen && <Inbox />}
      <Toasts />
    </div>
  );
}
