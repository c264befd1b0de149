// Public surface of the host for the rest of src/main (the CLI, the browser server, NATS): creating a
// host, its endpoint file and lock, the command dispatcher's types, and the services the CLI shares
// with the command handlers. Files inside host/ import each other directly, never through this file.
export { createHost, type Host, type HostOptions } from './host.js';
export { readEndpointFile, writeEndpointFile, type HostEndpoint } from './endpoint-file.js';
export { HostLockedError } from './host-lock.js';
export { HostError } from './command-error.js';
export type { CommandContext, CommandDispatcher, CommandInterceptor } from './dispatcher.js';
export type { EventHub } from './event-hub.js';
export { newGoalProblems } from './new-goal-checks.js';
export { validateRepository } from './services/repository.js';
export { toGoalSummary, toTurnSummary } from './services/summaries.js';
