// Permission inbox commands (pending queue, decisions, rule preview), stored rules, settings and
// the "is Claude Code installed" check.
import { execa } from 'execa';
import type { Settings } from '../../../shared/commands/permissions.js';
import type { Stores } from '../../store/index.js';
import { PermissionRequestNotPendingError, UnknownGoalError, type PermissionService } from '../../permission/index.js';
import { claudeVersionWarning } from '../../driver/claude-version.js';
import { ClaudeNotFoundError, findClaude } from '../../driver/find-claude.js';
import type { CommandDispatcher } from '../dispatcher.js';
import { HostError } from '../command-error.js';

/** Maps broker errors onto command errors (a request already decided is a conflict, not a crash). */
function operatorCall<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof PermissionRequestNotPendingError) throw new HostError('conflict', error.message);
    if (error instanceof UnknownGoalError) throw new HostError('not_found', error.message);
    throw error;
  }
}

export function readSettings(stores: Stores): Settings {
  return {
    claudeBinary: stores.settings.get('claude.binary'),
    defaultBudget: stores.settings.get('goals.defaultBudget'),
    defaultPermissionMode: stores.settings.get('goals.defaultPermissionMode'),
    defaultModel: stores.settings.get('goals.defaultModel'),
    running: stores.settings.get('goals.running'),
    editorCommand: stores.settings.get('editor.command'),
  };
}

export function registerPermissionHandlers(
  dispatcher: CommandDispatcher,
  stores: Stores,
  permissions: PermissionService,
): void {
  dispatcher.register('permissions.pending', () => ({ records: stores.permissions.listPending() }));
  dispatcher.register('permissions.forGoal', ({ goalId }) => ({ records: stores.permissions.listForGoal(goalId) }));

  dispatcher.register('permission.decide', ({ requestId, action }) => {
    operatorCall(() => {
      switch (action.kind) {
        case 'allow':
          return permissions.allowOnce(requestId);
        case 'allow_edited':
          return permissions.allowWithEdit(requestId, action.input);
        case 'always_allow':
          return void permissions.alwaysAllow(requestId, {
            scope: action.rule.scope,
            ...(action.rule.pattern !== undefined ? { pattern: action.rule.pattern } : {}),
          });
        case 'deny':
          return permissions.deny(requestId, action.message);
        case 'deny_stop':
          return permissions.denyAndStop(requestId, action.message);
      }
    });
    return { ok: true as const };
  });

  dispatcher.register('rule.preview', ({ requestId, rule }) =>
    operatorCall(() => {
      const draft = permissions.draftAlwaysAllow(requestId, {
        scope: rule.scope,
        ...(rule.pattern !== undefined ? { pattern: rule.pattern } : {}),
      });
      const preview = permissions.previewRule(draft, 50);
      return {
        rule: draft,
        matches: preview.matches,
        pendingCount: preview.pendingCount,
        pastCount: preview.pastCount,
      };
    }),
  );

  dispatcher.register('rules.list', () => ({ rules: stores.rules.list() }));
  dispatcher.register('rule.delete', ({ ruleId }) => {
    if (!stores.rules.delete(ruleId)) throw new HostError('not_found', `no rule ${ruleId}`);
    return { ok: true as const };
  });

  dispatcher.register('settings.get', () => readSettings(stores));
  dispatcher.register('settings.update', (patch) => {
    if (patch.claudeBinary !== undefined) stores.settings.set('claude.binary', patch.claudeBinary);
    if (patch.defaultBudget !== undefined) stores.settings.set('goals.defaultBudget', patch.defaultBudget);
    if (patch.defaultPermissionMode !== undefined)
      stores.settings.set('goals.defaultPermissionMode', patch.defaultPermissionMode);
    if (patch.defaultModel !== undefined) stores.settings.set('goals.defaultModel', patch.defaultModel);
    if (patch.running !== undefined) stores.settings.set('goals.running', patch.running);
    if (patch.editorCommand !== undefined) stores.settings.set('editor.command', patch.editorCommand);
    return readSettings(stores);
  });

  dispatcher.register('claude.check', async ({ path }) => {
    try {
      const found = await findClaude({ explicit: path, setting: stores.settings.get('claude.binary') });
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
  });
}
