// The CLI's help text and the small error type every subcommand uses for bad input (exit 1).

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const MAIN_HELP = `overseer — supervise Claude Code agents toward goals

Usage: overseer <command> [options]

Commands:
  serve              Start the console in browser mode (HTTP + WebSocket on loopback) and print its URL
  run                Drive one goal headless (in the console's data directory)
  goals              List goals
  show GOAL          Show one goal with its turns
  help [command]     Show help for a command

Options:
  -h, --help         Show this help
  -v, --version      Print the version

Environment:
  OVERSEER_HOME      Data directory (default: ~/.local/share/overseer, ~/Library/Application Support/Overseer,
                     or %APPDATA%\\Overseer)
`;

export const SERVE_HELP = `Usage: overseer serve [--port N] [--host 127.0.0.1]

Starts the Overseer host and serves the console to a browser on this machine. Prints a URL that
holds a random per-launch token; requests without it are refused.

Options:
  --port N           Port to listen on (default: a free port)
  --host ADDR        Loopback address to bind: 127.0.0.1 (default), ::1 or localhost
  --data-dir DIR     Data directory (overrides OVERSEER_HOME)
  --heartbeat-ms N   Period of the host heartbeat event (default 5000; 0 turns it off)
  -h, --help         Show this help
`;

export const RUN_HELP = `Usage: overseer run --repo DIR --goal TEXT [options]

Drives one goal headless with Claude Code, turn by turn, until its acceptance commands pass or a
budget runs out. The goal is kept in the console's data directory, so the console shows it later.

Options:
  --repo DIR                 Git repository to work on (a worktree on overseer/<id> unless --in-place)
  --goal TEXT                What Claude should achieve
  --accept CMD               Acceptance command (exit 0 = met); repeat for several
  --max-turns N              Turn budget (default 40)
  --max-tokens N             Token budget (default 2000000)
  --max-wall DURATION        Time budget, e.g. 30m, 1h 30m (default 4h)
  --max-cost USD             Cost budget in USD (default: none)
  --model M                  Model for Claude Code
  --claude PATH              The claude binary (default: OVERSEER_CLAUDE_BIN, PATH, the login shell)
  --permissions MODE         ask (on this terminal; default), allow, deny, or rules:FILE
                             (a JSON array such as [{"tool":"Bash","pattern":"git status*","decision":"allow"}];
                             what no rule matches is denied)
  --in-place                 Work in the repository's own working tree
  --turn-timeout DURATION    Stop a turn after this long without output from Claude, time waiting
                             for a permission decision excepted, e.g. 10m (default 10m; 0 = never)
  --json                     One event per line on stdout, the last being goal_completed
  --data-dir DIR             Data directory (overrides OVERSEER_HOME)

Exit codes: 0 done; 2 budget exhausted; 3 escalated or acceptance never met; 130 cancelled
(Ctrl-C once cancels gracefully, twice kills); 1 bad input.
`;

export const GOALS_HELP = `Usage: overseer goals [--json] [--data-dir DIR]

Lists goals, newest first: id, status, turns, tokens, cost, description.
`;

export const SHOW_HELP = `Usage: overseer show GOAL [--json] [--data-dir DIR]

Shows one goal (its id or the start of it) with its turns.
`;
