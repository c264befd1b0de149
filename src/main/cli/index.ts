// What the rest of src/main uses of the CLI: the host client interface and its command failure (the
// NATS client of a remote runner implements the same interface). Nothing else: the CLI is an entry point.
export { CommandFailure, type HostClient } from './host-client/client.js';
