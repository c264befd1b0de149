// Navigation mirrored in the location hash: every route survives a round trip through its hash,
// unknown or partial hashes fall back to a sensible view, and goal ids and queries are encoded.
// (Renderer module: typechecked by tsconfig.web.json. route.ts reads `window` when loaded, so the
// test gives it a location first.)
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Route } from '../../../src/renderer/state/route';

let route: typeof import('../../../src/renderer/state/route');

beforeAll(async () => {
  vi.stubGlobal('window', {
    location: { hash: '#/goal/g%201/changes' },
    history: { pushState: () => undefined },
    addEventListener: () => undefined,
  });
  route = await import('../../../src/renderer/state/route');
});

describe('route hash', () => {
  it('round-trips every view through its hash', () => {
    const routes: Route[] = [
      { view: 'home' },
      { view: 'new' },
      { view: 'settings' },
      { view: 'search', query: '' },
      { view: 'search', query: 'npm test & "quotes"?' },
      ...route.GOAL_TABS.map((tab) => ({ view: 'goal' as const, goalId: 'a/b c#d', tab })),
    ];
    for (const each of routes) expect(route.parseHash(route.routeHash(each))).toEqual(each);
  });

  it('writes the short forms: the timeline tab and an empty search add nothing', () => {
    expect(route.routeHash({ view: 'goal', goalId: 'g1', tab: 'timeline' })).toBe('#/goal/g1');
    expect(route.routeHash({ view: 'goal', goalId: 'g1', tab: 'turns' })).toBe('#/goal/g1/turns');
    expect(route.routeHash({ view: 'search', query: '' })).toBe('#/search');
  });

  it('falls back for hashes it does not know', () => {
    expect(route.parseHash('')).toEqual({ view: 'home' });
    expect(route.parseHash('#/nowhere')).toEqual({ view: 'home' });
    expect(route.parseHash('#/goal')).toEqual({ view: 'home' });
    expect(route.parseHash('#/goal/g1/unknown-tab')).toEqual({ view: 'goal', goalId: 'g1', tab: 'timeline' });
    expect(route.parseHash('#/search')).toEqual({ view: 'search', query: '' });
  });

  it('opens on the view the location names, and navigate() changes it', () => {
    expect(route.useRoute.getState().route).toEqual({ view: 'goal', goalId: 'g 1', tab: 'changes' });
    route.openGoal('g2', 'permissions');
    expect(route.useRoute.getState().route).toEqual({ view: 'goal', goalId: 'g2', tab: 'permissions' });
  });
});
