// Public surface of browser mode for the CLI: the HTTP/WebSocket server in front of a host, the CLI
// endpoint other CLI processes connect to, the loopback check and where the built renderer lives.
export { startBrowserServer } from './browser-server.js';
export { publishEndpoint, serveCliEndpoint } from './cli-endpoint.js';
export { isLoopbackHost } from './security.js';
export { findRendererDir } from './static-files.js';
