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
