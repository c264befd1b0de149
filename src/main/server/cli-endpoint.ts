// Makes a running host reachable by the `overseer` CLI: publishes the browser-mode server's
// WebSocket and token in the data directory's endpoint file (see host/endpoint-file.ts), and, for
// the desktop app (which talks to its window over IPC), starts a loopback server for the CLI alone.
import { type Host, writeEndpointFile } from '../host/index.js';
import { startBrowserServer, type BrowserServer } from './browser-server.js';

/** Writes the endpoint file for `server`; returns the function that removes it. */
export function publishEndpoint(host: Host, server: BrowserServer, mode: string): () => void {
  const page = new URL(server.url);
  return writeEndpointFile(host.paths.root, { url: `ws://${page.host}/ws`, token: server.token, mode });
}

/** A loopback WebSocket for the CLI only (no pages), published in the endpoint file. */
export async function serveCliEndpoint(host: Host, mode: string): Promise<{ close(): Promise<void> }> {
  const server = await startBrowserServer({ host, port: 0, rendererDir: null });
  const unpublish = publishEndpoint(host, server, mode);
  return {
    async close() {
      unpublish();
      await server.close();
    },
  };
}
