// Handlers of the permission commands (src/shared/commands/permissions.ts), one per command: the
// inbox (pending queue, decisions, rule preview) and the stored rules.
import type { permissionCommands } from '../../../shared/commands/permissions.js';
import type { Stores } from '../../store/index.js';
import { PermissionRequestNotPendingError, UnknownGoalError, type PermissionService } from '../../permission/index.js';
import type { HandlersFor } from '../dispatcher.js';
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

export function permissionHandlers(stores: Stores, permissions: PermissionService) {
  return {
    'permissions.pending': () => ({ records: stores.permissions.listPending() }),
    'permissions.forGoal': ({ goalId }) => ({ records: stores.permissions.listForGoal(goalId) }),

    'permission.decide': ({ requestId, action }) => {
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
    },

    'rule.preview': ({ requestId, rule }) =>
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

    'rules.list': () => ({ rules: stores.rules.list() }),
    'rule.delete': ({ ruleId }) => {
      if (!stores.rules.delete(ruleId)) throw new HostError('not_found', `no rule ${ruleId}`);
      return { ok: true as const };
    },
  } satisfies HandlersFor<typeof permissionCommands>;
}
