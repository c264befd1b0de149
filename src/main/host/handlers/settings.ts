// Handlers of the settings commands (src/shared/commands/settings.ts), one per command: read and
// change the settings, and the "is Claude Code installed" check.
import type { Settings, settingsCommands } from '../../../shared/commands/settings.js';
import type { Stores } from '../../store/index.js';
import { claudeVersionWarning, ClaudeNotFoundError, findClaude } from '../../driver/index.js';
import type { HandlersFor } from '../dispatcher.js';

function readSettings(stores: Stores): Settings {
  return {
    claudeBinary: stores.settings.get('claude.binary'),
    defaultBudget: stores.settings.get('goals.defaultBudget'),
    defaultPermissionMode: stores.settings.get('goals.defaultPermissionMode'),
    defaultModel: stores.settings.get('goals.defaultModel'),
    running: stores.settings.get('goals.running'),
    editorCommand: stores.settings.get('editor.command'),
  };
}

export function settingsHandlers(stores: Stores) {
  return {
    'settings.get': () => readSettings(stores),
    'settings.update': (patch) => {
      if (patch.claudeBinary !== undefined) stores.settings.set('claude.binary', patch.claudeBinary);
      if (patch.defaultBudget !== undefined) stores.settings.set('goals.defaultBudget', patch.defaultBudget);
      if (patch.defaultPermissionMode !== undefined)
        stores.settings.set('goals.defaultPermissionMode', patch.defaultPermissionMode);
      if (patch.defaultModel !== undefined) stores.settings.set('goals.defaultModel', patch.defaultModel);
      if (patch.running !== undefined) stores.settings.set('goals.running', patch.running);
      if (patch.editorCommand !== undefined) stores.settings.set('editor.command', patch.editorCommand);
      return readSettings(stores);
    },

    'claude.check': async ({ path }) => {
      try {
        const found = await findClaude({ explicit: path, setting: stores.settings.get('claude.binary') });
        // Imported here, not with the host: execa is about 100 ms of a process's start.
        const { execa } = await import('execa');
        const version = await execa(found.path, ['--version'], { timeout: 20_000, reject: false });
        const text = version.stdout.trim();
        if (version.exitCode !== 0 || text === '') {
          return {
            found: false,
            path: found.path,
            version: null,
            message: `found ${found.path}, but \`--version\` failed: ${version.stderr.trim() || `exit ${version.exitCode}`}`,
          };
        }
        return {
          found: true,
          path: found.path,
          version: text,
          message: `found at ${found.path} (${found.source.replace('_', ' ')})`,
          warning: claudeVersionWarning(text),
        };
      } catch (error) {
        if (error instanceof ClaudeNotFoundError)
          return { found: false, path: null, version: null, message: error.message };
        throw error;
      }
    },
  } satisfies HandlersFor<typeof settingsCommands>;
}
