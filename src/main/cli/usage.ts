// The CLI's help text and the small error type every subcommand uses for bad input (exit 1).
import { GOAL_LIST_DEFAULT_LIMIT, GOAL_LIST_MAX_LIMIT } from '../../shared/domain/goal-list.js';

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
  resume GOAL        Continue an interrupted, paused or never-started goal, following it like run
  continue GOAL NOTE Go on with a goal that ended, with a note and more budget (--turns N ...)
  cancel GOAL        Cancel a running goal
  pause GOAL         Pause a running goal after its current turn
  interrupt GOAL     Give a running goal a note for its next turn (--note TEXT [--stop-turn])
  diff GOAL          Print the goal's change (or one turn's) as a unified diff for git apply
  rollback GOAL      Restore the goal's files to a turn's checkpoint (--turn N)
  revert GOAL        Revert one file or hunk of the goal's change (--file PATH [--hunk N] [--turn N])
  logs GOAL          Print the goal's event log (--follow for live events)
  delete GOAL        Delete a goal, its worktree and checkpoints (asks before losing uncommitted work)
  land GOAL          Land a goal's work: commit, merge into the base, rebase, or open a PR
  open GOAL          Print the goal's folder (--editor / --terminal opens it)
  agent              Run a headless runner host reachable over NATS (--nats URL --name NAME)
  runners            List the runners on a NATS server
  help [command]     Show help for a command

GOAL is a goal's id or any unique start of it (see \`overseer goals\`).

When the console runs on the data directory (overseer serve or the desktop app), every command
goes through it: goals started here show live there, and prompts can be answered in either place.
Otherwise the command runs its own Overseer host in this process.

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
  --nats URL         List the runners on this NATS server in Settings → Runners (default:
                     $OVERSEER_NATS_URL; NATS options: overseer agent --help)
  --name NAME        This console's name, shown on the runners' goals as who decided a prompt
                     answered here (default: user@hostname)
  -h, --help         Show this help
`;

export const RUN_HELP = `Usage: overseer run --repo DIR --goal TEXT [options]

Drives one goal with Claude Code, turn by turn, until its acceptance commands pass or a budget
runs out. When the console runs on the data directory, the console's host drives the goal: it
shows live there and its prompts can be answered in either place (the first answer counts).
Otherwise this command runs its own host; the goal is kept in the data directory either way.
At the end it says where the work is and how to land it (overseer land GOAL).

Options:
  --repo DIR                 Git repository to work on (a worktree on overseer/<id> unless --in-place)
  --goal TEXT                What Claude should achieve
  --accept CMD               Acceptance command (exit 0 = met); repeat for several. After it:
    --accept-exit N            the exit code it must end with instead of 0
    --accept-stdout REGEX      a regex its stdout must match
    --accept-timeout DURATION  its time limit, e.g. 90s, 10m (default 5m)
  --accept-file PATH:REGEX   A file (relative to the worktree) that must match REGEX
  --accept-clean             The working tree must be clean (everything committed)
  --forbid GLOB              Paths that must not change since the goal started; repeat for several
  --judge TEXT               A read-only Claude call judges the goal's diff by TEXT (PASS/FAIL)
                             (regexes may start with (?i), (?m), (?s))
  --allowed-tools LIST       Tools Claude runs without asking, e.g. Read,Bash(git diff:*)
  --disallowed-tools LIST    Tools Claude may not use
  --add-dir DIR              Another folder Claude may work in; repeat for several
  --append-system-prompt T   Text appended to Claude's system prompt
  --max-turns N              Turn budget (default 40)
  --max-tokens N             Token budget (default 2000000)
  --max-wall DURATION        Time budget, e.g. 30m, 1h 30m (default 4h)
  --max-cost USD             Cost budget in USD (default: none)
  --on-budget end|pause      At a turns, time, tokens or cost cap: end (default, exit 2), or pause
                             and ask here "+N and continue / end" (needs a terminal or the console)
  --model M                  Model for Claude Code
  --claude PATH              The claude binary (default: OVERSEER_CLAUDE_BIN, PATH, the login shell;
                             not used when the console runs: it uses its own setting)
  --permissions MODE         ask (on this terminal, or in the console's inbox; default), allow, deny, or rules:FILE
                             (a JSON array such as [{"tool":"Bash","pattern":"git status*","decision":"allow"}];
                             what no rule matches is denied)
  --in-place                 Work in the repository's own working tree
  --setup CMD                Setup command run in the new worktree before the first turn (e.g. "npm ci");
                             repeat for several. Without --setup/--copy the repository's stored settings apply
  --copy GLOB                Ignored/untracked files copied into the worktree (e.g. .env); repeatable
  --turn-timeout DURATION    Stop a turn after this long without output from Claude, time waiting
                             for a permission decision excepted, e.g. 10m (default 10m; 0 = never)
  --json                     One event per line on stdout, the last being goal_completed
  --data-dir DIR             Data directory (overrides OVERSEER_HOME)
  --runner NAME              Run the goal on runner NAME over NATS (--nats URL or $OVERSEER_NATS_URL;
                             NATS options: overseer agent --help); --repo is a path on that runner

Environment:
  OVERSEER_CLAUDE_PROCESS    long-lived (default): one Claude Code process per goal taking a message a
                             turn (docs/long-lived-mode.md); per-turn: the fallback, one claude -p
                             process a turn, resumed by session. Read by the host that drives the goal.

Exit codes: 0 done; 2 budget exhausted; 3 escalated or acceptance never met; 130 cancelled
(Ctrl-C once cancels gracefully, twice kills — or, with the console, stops following); 1 bad input
or an error.
`;

export const CONTINUE_HELP = `Usage: overseer continue GOAL "NOTE" [--turns N] [--wall-time D] [--tokens N] [--cost USD] [--json] [--data-dir DIR]

Goes on with a goal that ended (done, cancelled, budget exhausted, escalated or failed; also after
a rollback): NOTE leads the next turn, in the same worktree and Claude session. The flags extend
the budget (each cap grows from what is used now); a budget that is still used up is refused,
naming the axis. Then follows the goal like \`overseer run\`.

  --turns N          More turns
  --wall-time D      More time, e.g. 30m
  --tokens N         More tokens
  --cost USD         More cost (goals with a cost cap)
  --json             One event per line on stdout, the last being goal_completed
  --data-dir DIR     Data directory (overrides OVERSEER_HOME)

Exit codes (as run): 0 done; 2 budget exhausted; 3 escalated or acceptance never met; 130 cancelled;
1 bad input or the host refused (the message says why).
`;

export const GOALS_HELP = `Usage: overseer goals [--limit N | --all] [--status S[,S...]] [--json] [--data-dir DIR] [--runner NAME --nats URL]

Lists goals, newest first: id, status, turns, tokens, cost, description. The list holds the newest
${GOAL_LIST_DEFAULT_LIMIT} unless told otherwise, and its last line says how many it left out (on stderr with --json).

  --limit N          The newest N goals (1 to ${GOAL_LIST_MAX_LIMIT})
  --all              Every goal (up to ${GOAL_LIST_MAX_LIMIT})
  --status S,...     Only goals in these statuses, e.g. --status interrupted (the ones a stopped host
                     left; \`overseer resume GOAL\` or the console's "Resume all" restarts them)
`;

export const SHOW_HELP = `Usage: overseer show GOAL [--json] [--data-dir DIR]

Shows one goal (its id or the start of it) with its turns.
`;

const GOAL_EXIT = `Exit codes: 0 done; 1 bad input or the host refused (the message says why).`;
const FOLLOW_EXIT = `Exit codes (as run): 0 done; 2 budget exhausted; 3 escalated or acceptance never met; 130 cancelled;
1 bad input or an error.`;
const GOAL_COMMON = `  --json             One JSON object (or one event per line) on stdout
  --data-dir DIR     Data directory (overrides OVERSEER_HOME)
  --runner NAME      The goal is on runner NAME: act over NATS (--nats URL or $OVERSEER_NATS_URL;
                     NATS options: overseer agent --help)
  -h, --help         Show this help

GOAL is a goal's id or any unique start of it (see \`overseer goals\`).`;

export const GOAL_COMMAND_HELP = {
  resume: `Usage: overseer resume GOAL [--json] [--data-dir DIR]

Continues a goal that was interrupted (Overseer stopped while it ran), paused, or never started,
and follows it like \`overseer run\` until it ends; a goal already running is just followed.
Ctrl-C once cancels it.

Options:
${GOAL_COMMON}

${FOLLOW_EXIT}
`,
  cancel: `Usage: overseer cancel GOAL [--json] [--data-dir DIR]

Cancels a running goal: its turn stops and it ends as cancelled (its files stay as they are).

Options:
${GOAL_COMMON}

${GOAL_EXIT}
`,
  pause: `Usage: overseer pause GOAL [--json] [--data-dir DIR]

Pauses a running goal once its current turn ends. \`overseer resume GOAL\` continues it.

Options:
${GOAL_COMMON}

${GOAL_EXIT}
`,
  interrupt: `Usage: overseer interrupt GOAL --note TEXT [--stop-turn] [--json] [--data-dir DIR]

Queues a note for a running goal: Claude reads it at the start of the next turn.

Options:
  --note TEXT        What Claude should hear (required)
  --stop-turn        Stop the running turn now instead of letting it finish
${GOAL_COMMON}

${GOAL_EXIT}
`,
  diff: `Usage: overseer diff GOAL [--turn N] [--stat | --hunks] [--json] [--data-dir DIR]

Prints the goal's whole change so far (its base commit against its files now), or one turn's, as
a plain unified diff: every file in full, binary files as git binary patches. Apply it elsewhere
with \`overseer diff GOAL | git apply\` on a checkout of the goal's base.

Options:
  --turn N           Only turn N's change (turns count from 1, as \`overseer run\` prints them)
  --stat             Changed files and line counts instead of the patch
  --hunks            Each file's hunks, numbered as \`overseer revert --hunk N\` takes them
${GOAL_COMMON}

${GOAL_EXIT}
`,
  rollback: `Usage: overseer rollback GOAL --turn N [--after] [--json] [--data-dir DIR]

Restores the goal's files to how they were before turn N (the console's "Roll back to before this
turn"), or after it with --after. Refused while a turn runs: pause the goal first. Later turns'
checkpoints stay, so another rollback can go forward again.

Options:
  --turn N           The turn (counting from 1)
  --after            Restore the state at the end of turn N instead
${GOAL_COMMON}

${GOAL_EXIT}
`,
  delete: `Usage: overseer delete GOAL [--force] [--keep-branch] [--json] [--data-dir DIR]

Deletes a goal that is not running: its records, its worktree and checkpoints. When the worktree
holds changes committed nowhere, it lists them and asks first (on a terminal) or refuses without
--force; land them first with \`overseer land GOAL\` to keep them. An in-place goal's files stay.

Options:
  --force            Delete even when uncommitted work would be lost
  --keep-branch      Keep the goal's branch overseer/<id>
${GOAL_COMMON}

${GOAL_EXIT}
`,
  logs: `Usage: overseer logs GOAL [--follow] [--json] [--data-dir DIR]

Prints the goal's event log from its start, one line per event (the same lines \`overseer run\`
prints; --json: one event per line). With --follow, keeps printing live events until the goal
ends, when the console (or another \`overseer run\`) drives it.

Options:
  -f, --follow       Keep printing until the goal ends (exit code as \`overseer run\`)
${GOAL_COMMON}
`,
} as const;

export const REVERT_HELP = `Usage: overseer revert GOAL --file PATH [--hunk N] [--turn N] [--json] [--data-dir DIR]

Reverts one file of the goal's change so far (its base against its files now), or of turn N's
change, in the goal's worktree; with --hunk N only that hunk of the file (numbered as
\`overseer diff GOAL --hunks\` lists them, with the same --turn). Exact or not at all: if the file
changed since so the change no longer applies, nothing is changed and the command says so. Refused
while a turn runs (pause the goal first). Claude is told at its next turn.

Options:
  --file PATH        The file, as \`overseer diff GOAL --stat\` names it (required)
  --hunk N           Only the file's hunk N (1 = its first)
  --turn N           Revert from turn N's change instead of the goal's whole change
${GOAL_COMMON}

${GOAL_EXIT}
`;
