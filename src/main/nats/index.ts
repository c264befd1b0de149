// Public surface of the NATS transport for the rest of src/main (the CLI loads it lazily, with
// `await import`, so commands that never touch NATS do not load its client): connecting, the runner,
// the console's client of remote runners, presence, the runner directory and remote goals.
export { connectNats, NatsConnectError, type NatsSettings } from './connection.js';
export { startRunner, RunnerNameTakenError } from './runner.js';
export { runnerNameProblem } from './subjects.js';
export { connectRunnerClient, RunnerUnavailableError } from './client.js';
export { listRunners, openPresence } from './presence.js';
export { runnerDirectory } from './directory.js';
export { startRemoteGoals } from './remote-goals.js';
