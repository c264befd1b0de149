// What a browser tab shows when it cannot authenticate: opened without the token (a bare URL, a
// bookmark) or with one the host refused (it changes each time `overseer serve` starts).
import type { ConnectionStatus } from '../api';

export function AccessNeeded({ status }: { status: Extract<ConnectionStatus, 'no-token' | 'token-refused'> }) {
  return (
    <div className="access-needed" role="alert" data-testid="access-needed">
      <h1>Overseer</h1>
      <h2>{status === 'no-token' ? 'This tab has no access token' : 'The host refused this tab’s access token'}</h2>
      <p>
        Open the console with the URL that <code>overseer serve</code> (or <code>npm start</code> in browser mode)
        printed in its terminal: it carries the token (it ends in <code>?token=…</code>).
        {status === 'token-refused' &&
          ' The token changes every time the host starts, so an older URL no longer works.'}
      </p>
      <p>
        The token stays in this tab only: it is removed from the address bar, kept for reloads of this tab, and never
        stored as a cookie.
      </p>
    </div>
  );
}
