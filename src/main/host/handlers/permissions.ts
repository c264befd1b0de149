// Handlers of the permission commands (src/shared/commands/permissions.ts), one per command: the
// inbox (pending queue, decisions, rule preview) and the stored rules.
import type { permissionCommands } from '../../../shared/commands/permissions.js';
import type { Stores } from '../../store/index.js';
import type { PermissionService } from '../../permission/index.js';
import type { HandlersFor } from '../dispatcher.js';
import { asCommand, HostError } from '../command-error.js';

export function permissionHandlers(stores: Stores, permissions: PermissionService) {
  return {
    'permissions.pending': () => ({ records: stores.permissions.listPending() }),
    'permissions.forGoal': ({ goalId }) => ({ records: stores.permissions.listForGoal(goalId) }),

    'permission.decide': ({ requestId, action, decidedBy }) => {
      asCommand(() => {
        switch (action.kind) {
          case 'allow':
            return permissions.allowOnce(requestId, decidedBy);
          case 'allow_edited':
            return permissions.allowWithEdit(requestId, action.input, decidedBy);
          case 'always_allow':
            return void permissions.alwaysAllow(requestId, {
              scope: action.rule.scope,
              ...(action.rule.pattern !== undefined ? { pattern: action.rule.pattern } : {}),
            });
          case 'deny':
            return permissions.deny(requestId, action.message, decidedBy);
          case 'deny_stop':
            return permissions.denyAndStop(requestId, action.message, decidedBy);
        }
      });
      return { ok: true as const };
    },

    'rule.preview': ({ requestId, rule }) =>
      asCommand(() => {
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
