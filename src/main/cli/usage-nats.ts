// Help text of the distributed commands (`agent`, `runners`) and of `--runner` on goal commands.
import { NATS_FLAGS_HELP } from './nats-flags.js';

export const AGENT_HELP = `Usage: overseer agent --nats URL --name NAME [--data-dir DIR] [options]

Runs a headless runner on this machine: an Overseer host whose goals, worktrees, checkpoints and
store live here, reachable over NATS. It announces itself (name, version, OS, free slots, the
Claude Code binary it found) with a heartbeat; consoles and \`overseer run --runner NAME\` send it
goals and commands, and its events go to the NATS stream OVERSEER_EVENTS. Stops on Ctrl-C.

Options:
  --name NAME                This runner's name (letters, digits, - and _), unique among runners
  --data-dir DIR             Data directory (overrides OVERSEER_HOME)
  --claude PATH              Claude Code binary (default: OVERSEER_CLAUDE_BIN, PATH, the login shell)
  --heartbeat-ms N           How often presence is renewed (default 5000); offline after 3 missed
  --prompt-timeout DURATION  Deny a permission prompt nobody answered within DURATION (e.g. 30m);
                             default: it waits, persisted, until someone answers
  -h, --help                 Show this help

${NATS_FLAGS_HELP}
`;

export const RUNNERS_HELP = `Usage: overseer runners [--json] [--nats URL]

Lists the runners that announced themselves on the NATS server: online or offline, last seen,
version, OS, free slots, running goals and the Claude Code binary each found.

Options:
  --json                     One JSON array
  -h, --help                 Show this help

${NATS_FLAGS_HELP}
`;

export const RUNNER_FLAG_HELP = `On a runner (see overseer agent):
  --runner NAME              Act on runner NAME over NATS instead of this machine's host
  (with --nats URL or $OVERSEER_NATS_URL; see \`overseer runners --help\` for the NATS options)`;
