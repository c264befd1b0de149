// `overseer open GOAL`: prints the goal's folder (its worktree, or the repository for an in-place
// goal); --editor opens it in the editor setting / `code` / `cursor` / $VISUAL / $EDITOR,
// --terminal in a terminal. Through the host's `goal.open` command, like the console's Open button.
import { parseArgs } from 'node:util';
import { CommandFailed, resolveGoalId, withHostCommands } from './host-commands.js';
import { OPEN_HELP } from './usage-land.js';

export async function openCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      editor: { type: 'boolean', default: false },
      terminal: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return (out(OPEN_HELP), 0);
  const target = values.editor ? 'editor' : values.terminal ? 'terminal' : 'path';
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
