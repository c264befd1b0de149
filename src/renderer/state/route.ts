// Navigation (zustand), mirrored in the location hash so a reload or a link opens the same view:
// #/ overview, #/new, #/goal/<id>[/<tab>], #/search?q=…, #/settings. The permission inbox is an
// overlay over any view (inboxOpen), not a route.
import { create } from 'zustand';

export const GOAL_TABS = ['timeline', 'turns', 'changes', 'permissions'] as const;
export type GoalTab = (typeof GOAL_TABS)[number];

export type Route =
  | { view: 'home' }
  | { view: 'new' }
  | { view: 'goal'; goalId: string; tab: GoalTab }
  | { view: 'search'; query: string }
  | { view: 'settings' };

function isGoalTab(value: string | undefined): value is GoalTab {
  return GOAL_TABS.some((tab) => tab === value);
}

export function parseHash(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?');
  const segments = pathPart.split('/').filter((segment) => segment !== '');
  const params = new URLSearchParams(queryPart);
  switch (segments[0]) {
    case 'new':
      return { view: 'new' };
    case 'goal': {
      const goalId = segments[1];
      if (goalId === undefined) return { view: 'home' };
      return {
        view: 'goal',
        goalId: decodeURIComponent(goalId),
        tab: isGoalTab(segments[2]) ? segments[2] : 'timeline',
      };
    }
    case 'search':
      return { view: 'search', query: params.get('q') ?? '' };
    case 'settings':
      return { view: 'settings' };
    default:
      return { view: 'home' };
  }
}

export function routeHash(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/';
    case 'new':
      return '#/new';
    case 'goal':
      return `#/goal/${encodeURIComponent(route.goalId)}${route.tab === 'timeline' ? '' : `/${route.tab}`}`;
    case 'search':
      return route.query === '' ? '#/search' : `#/search?q=${encodeURIComponent(route.query)}`;
    case 'settings':
      return '#/settings';
  }
}

interface RouteState {
  route: Route;
  inboxOpen: boolean;
}

export const useRoute = create<RouteState>(() => ({ route: parseHash(window.location.hash), inboxOpen: false }));

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.history.pushState(null, '', hash);
  useRoute.setState({ route });
}

export function openGoal(goalId: string, tab: GoalTab = 'timeline'): void {
  navigate({ view: 'goal', goalId, tab });
}

export function setInboxOpen(open: boolean): void {
  useRoute.setState({ inboxOpen: open });
}

window.addEventListener('popstate', () => useRoute.setState({ route: parseHash(window.location.hash) }));
window.addEventListener('hashchange', () => useRoute.setState({ route: parseHash(window.location.hash) }));
