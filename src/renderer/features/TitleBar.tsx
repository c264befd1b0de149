// The title bar: name, navigation (overview, search, settings), the permission inbox with its
// count, and the connection status.
import { useEffect, useState } from 'react';
import { useConnection } from '../state/connection';
import { usePendingPermissions } from '../state/queries';
import { navigate, setInboxOpen, useRoute } from '../state/route';
import { toggleSidebar, useSidebar } from '../state/sidebar';

export function TitleBar() {
  const status = useConnection((state) => state.status);
  const pending = usePendingPermissions();
  const route = useRoute((state) => state.route);
  const collapsed = useSidebar((state) => state.collapsed);
  const [query, setQuery] = useState('');
  const count = pending.data?.length ?? 0;
  // The browser tab says how many prompts wait, so a background tab still shows it.
  useEffect(() => {
    document.title = count > 0 ? `(${count}) Overseer` : 'Overseer';
  }, [count]);
  return (
    <header className="titlebar">
      <button
        type="button"
        className="sidebar-toggle"
        aria-label={collapsed ? 'Show goals sidebar' : 'Hide goals sidebar'}
        aria-expanded={!collapsed}
        aria-controls="goals-sidebar"
        aria-keyshortcuts="Control+B Meta+B"
        title={`${collapsed ? 'Show' : 'Hide'} the goals sidebar (Ctrl+B)`}
        onClick={toggleSidebar}
      >
        <span aria-hidden="true">☰</span>
      </button>
      <h1>
        <a
          href="#/"
          onClick={(event) => {
            event.preventDefault();
            navigate({ view: 'home' });
          }}
        >
          Overseer
        </a>
      </h1>
      <form
        role="search"
        className="title-search"
        onSubmit={(event) => {
          event.preventDefault();
          if (query.trim() !== '') navigate({ view: 'search', query: query.trim() });
        }}
      >
        <input
          type="search"
          aria-label="Search goals and transcripts"
          placeholder="Search…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      </form>
      <div className="title-actions">
        <button
          type="button"
          className={count > 0 ? 'inbox-button has-pending' : 'inbox-button'}
          aria-label={`Permission inbox, ${count} waiting`}
          data-testid="inbox-count"
          onClick={() => setInboxOpen(true)}
        >
          Inbox <span className="count">{count}</span>
        </button>
        <button
          type="button"
          aria-current={route.view === 'settings' ? 'page' : undefined}
          onClick={() => navigate({ view: 'settings' })}
        >
          Settings
        </button>
        <span className={`status status-${status}`} role="status" aria-label="Connection">
          {status}
        </span>
      </div>
    </header>
  );
}
