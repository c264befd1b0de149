// Help texts of `overseer land` and `overseer open`.
export { UsageError } from './usage.js';

export const LAND_HELP = `Usage: overseer land GOAL [--commit | --merge [--no-squash] | --rebase [--hand-to-claude] | --pr] [--message TEXT] [--into BRANCH]

Lands a goal's work. GOAL is its id or any unique start of it. Without a step, shows where the work
is and what can be done with it.

Steps:
  --commit           Commit the final snapshot on the goal's branch (overseer/<id>); in place: on the
                     current branch, exactly the goal's files (--per-turn: one commit per turn)
  --merge            Commit, then merge into the base branch: squashed into one commit (default),
                     --no-squash keeps the commits; fast-forward where possible. Refused, changing
                     nothing, when the base's checkout has uncommitted changes in the same files
  --rebase           Rebase the goal's branch onto the base, in the goal's worktree; on conflicts
                     nothing changes and the files are listed with how each conflicts (exit 4)
  --hand-to-claude   With --rebase: on conflicts, hand the note to Claude. A running goal gets it
                     for its next turn; a goal that ended runs again (same worktree and session)
                     within an explicit extension of its budget:
    --extra-turns N    at most N more turns (default 3)
    --extra-wall DUR   more wall time (30m, 1h)    (default: the goal's own limit)
    --extra-tokens N   more tokens                 (default: the goal's own limit)
    --extra-cost USD   more cost                   (default: the goal's own limit)
  --pr               Commit, push the branch and open a pull request with \`gh pr create\`

Options:
  --message TEXT     Commit message / PR title and body (default: drafted from the goal)
  --into BRANCH      Base branch (default: the branch checked out in the repository)
  --json             Print the result as JSON
  --data-dir DIR     Data directory (overrides OVERSEER_HOME)
  --runner NAME      The goal is on runner NAME: land it there, over NATS (--nats URL)
`;

export const OPEN_HELP = `Usage: overseer open GOAL [--editor | --terminal | --folder] [--json]

Prints the goal's folder (its worktree, or the repository for an in-place goal). --editor opens it
in your editor (Settings: editor command; else code, cursor, $VISUAL, $EDITOR); --terminal in a
terminal ($TERMINAL or x-terminal-emulator); --folder in the file manager (xdg-open; macOS open).
`;
