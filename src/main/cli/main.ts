// `overseer` command-line entry: dispatches subcommands, maps errors to exit codes
// (1: bad input, with a message naming what is wrong).
import { OVERSEER_VERSION } from '../version.js';
import { MAIN_HELP, UsageError } from './usage.js';
import { serveCommand } from './serve.js';
import { runCommand } from './run.js';
import { goalsCommand, showCommand } from './goals.js';
import { goalCommand } from './goal-commands.js';
import { diffCommand } from './diff-command.js';
import { logsCommand } from './logs-command.js';
import { CommandFailure } from './host-client/client.js';
import { landCommand } from './land.js';
import { openCommand } from './open.js';
import { agentCommand } from './agent.js';
import { runnersCommand } from './runners.js';
import { continueCommand } from './continue-command.js';
import { revertCommand } from './revert-command.js';

type Subcommand = (argv: string[], out: (line: string) => void) => Promise<number>;

const SUBCOMMANDS: Record<string, Subcommand> = {
  serve: serveCommand,
  run: runCommand,
  goals: goalsCommand,
  show: showCommand,
  resume: goalCommand('resume'),
  continue: continueCommand,
  cancel: goalCommand('cancel'),
  pause: goalCommand('pause'),
  interrupt: goalCommand('interrupt'),
  rollback: goalCommand('rollback'),
  revert: revertCommand,
  delete: goalCommand('delete'),
  diff: diffCommand,
  logs: logsCommand,
  land: landCommand,
  open: openCommand,
  agent: agentCommand,
  runners: runnersCommand,
};

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
    const sub = topic !== undefined ? SUBCOMMANDS[topic] : undefined;
    return sub !== undefined ? sub(['--help'], out) : (out(MAIN_HELP), 0);
  }
  const sub = SUBCOMMANDS[first];
  if (sub === undefined) {
    process.stderr.write(`overseer: unknown command "${first}" (see overseer --help)\n`);
    return 1;
  }
  try {
    return await sub(rest, out);
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      process.stderr.write(`overseer ${first}: ${error.message}\n`);
      return 1;
    }
    // The host refused or failed the command: its message says why.
    if (error instanceof CommandFailure) {
      process.stderr.write(`overseer ${first}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
