// `overseer open GOAL`: prints the goal's folder (its worktree, or the repository for an in-place
// goal); --editor opens it in the editor setting / `code` / `cursor` / $VISUAL / $EDITOR,
// --terminal in a terminal, --folder in the file manager. Through the host's `goal.open` command,
// like the console's Open buttons.
import { parseArgs } from 'node:util';
import { CommandFailed, resolveGoalId, withHostCommands } from './host-commands.js';
import { OPEN_HELP, UsageError } from './usage-land.js';

export async function openCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      editor: { type: 'boolean', default: false },
      terminal: { type: 'boolean', default: false },
      folder: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return (out(OPEN_HELP), 0);
  const targets = (['editor', 'terminal', 'folder'] as const).filter((name) => values[name]);
  if (targets.length > 1)
    throw new UsageError(
      `choose one of --editor, --terminal, --folder (got ${targets.map((name) => `--${name}`).join(', ')})`,
    );
  const target = targets[0] ?? 'path';
  try {
    return await withHostCommands(values['data-dir'] ?? null, async (invoke, client) => {
      const goalId = await resolveGoalId(client, positionals[0]);
      const result = await invoke('goal.open', { goalId, target });
      if (values.json) out(JSON.stringify(result));
      else {
        out(result.path);
        if (target !== 'path') process.stderr.write(`overseer open: ${result.message}\n`);
      }
      return target === 'path' || result.opened ? 0 : 1;
    });
  } catch (error) {
    if (error instanceof CommandFailed) {
      process.stderr.write(`overseer open: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
