// `overseer` command-line entry: dispatches subcommands, maps errors to exit codes
// (1: bad input, with a message naming what is wrong).
import { OVERSEER_VERSION } from '../version.js';
import { MAIN_HELP, UsageError } from './usage.js';
import type { GoalCommandName } from './goal-command-options.js';

type Subcommand = (argv: string[], out: (line: string) => void) => Promise<number>;

/** A command of goal-commands.ts (they share one module). */
const goalCommandLoader = (name: Exclude<GoalCommandName, 'diff' | 'logs'>) => async (): Promise<Subcommand> =>
  (await import('./goal-commands.js')).goalCommand(name);

// Each subcommand is loaded when it is run, so a command pays only for the modules it uses:
// `overseer goals` reads the database without loading git, the HTTP server or the driver, and
// `overseer --version` loads none of them (module loading is most of a short command's time).
const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  run: async () => (await import('./run.js')).runCommand,
  goals: async () => (await import('./goals.js')).goalsCommand,
  show: async () => (await import('./goals.js')).showCommand,
  resume: goalCommandLoader('resume'),
  continue: async () => (await import('./continue-command.js')).continueCommand,
  cancel: goalCommandLoader('cancel'),
  pause: goalCommandLoader('pause'),
  interrupt: goalCommandLoader('interrupt'),
  rollback: goalCommandLoader('rollback'),
  revert: async () => (await import('./revert-command.js')).revertCommand,
  delete: goalCommandLoader('delete'),
  diff: async () => (await import('./diff-command.js')).diffCommand,
  logs: async () => (await import('./logs-command.js')).logsCommand,
  land: async () => (await import('./land.js')).landCommand,
  open: async () => (await import('./open.js')).openCommand,
  agent: async () => (await import('./agent.js')).agentCommand,
  runners: async () => (await import('./runners.js')).runnersCommand,
};

/** The error when it is the host's refusal of a command (its class is loaded only on a failure). */
async function asCommandFailure(error: unknown): Promise<Error | null> {
  if (!(error instanceof Error)) return null;
  const { CommandFailure } = await import('./host-client/client.js');
  return error instanceof CommandFailure ? error : null;
}

export async function runCli(
  argv: string[],
  out: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    out(MAIN_HELP);
    return first === undefined ? 1 : 0;
  }
  if (first === '-v' || first === '--version') {
    out(OVERSEER_VERSION);
    return 0;
  }
  if (first === 'help') {
    const topic = rest[0];
    const load = topic !== undefined ? SUBCOMMANDS[topic] : undefined;
    return load !== undefined ? (await load())(['--help'], out) : (out(MAIN_HELP), 0);
  }
  const load = SUBCOMMANDS[first];
  if (load === undefined) {
    process.stderr.write(`overseer: unknown command "${first}" (see overseer --help)\n`);
    return 1;
  }
  try {
    const command = await load();
    return await command(rest, out);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`overseer ${first}: ${error.message}\n`);
      return 1;
    }
    // The host refused or failed the command: its message says why.
    const failure = await asCommandFailure(error);
    if (failure !== null) {
      process.stderr.write(`overseer ${first}: ${failure.message}\n`);
      return 1;
    }
    throw error;
  }
}
