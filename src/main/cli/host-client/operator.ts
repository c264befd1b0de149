// The terminal's operator actions as host commands — the same `permission.decide` and
// `rule.preview` the console's inbox sends — so a prompt can be answered in the terminal or in the
// console, whichever answers first (the loser's command fails with `conflict`).
import type { OperatorAction } from '../../../shared/commands/permissions.js';
import {
  PermissionRequestNotPendingError,
  type AlwaysAllow,
  type RuleDraft,
  type RulePreview,
  type TerminalOperatorPort,
} from '../../permission/index.js';
import { CommandFailure, type HostClient } from './client.js';

const DEFAULT_DENY = 'The operator denied this tool call.';
const DEFAULT_DENY_STOP = 'The operator denied this tool call and stopped the turn.';

export function clientOperator(client: HostClient): TerminalOperatorPort {
  /** rule.preview answers draft and matches at once: the preview waits here for previewRule. */
  const previews = new WeakMap<RuleDraft, RulePreview>();

  async function decide(requestId: string, action: OperatorAction): Promise<void> {
    try {
      await client.invoke('permission.decide', { requestId, action });
    } catch (error) {
      if (error instanceof CommandFailure && error.error.code === 'conflict')
        throw new PermissionRequestNotPendingError(requestId);
      throw error;
    }
  }
  const rule = (options: AlwaysAllow) => ({
    scope: options.scope,
    ...(options.pattern !== undefined ? { pattern: options.pattern } : {}),
  });

  return {
    allowOnce: (requestId) => decide(requestId, { kind: 'allow' }),
    allowWithEdit: (requestId, input) => decide(requestId, { kind: 'allow_edited', input }),
    alwaysAllow: (requestId, options) => decide(requestId, { kind: 'always_allow', rule: rule(options) }),
    deny: (requestId, message) =>
      decide(requestId, { kind: 'deny', message: message.trim() === '' ? DEFAULT_DENY : message }),
    denyAndStop: (requestId, message) =>
      decide(requestId, { kind: 'deny_stop', message: message.trim() === '' ? DEFAULT_DENY_STOP : message }),
    async draftAlwaysAllow(requestId, options) {
      try {
        const answer = await client.invoke('rule.preview', { requestId, rule: rule(options) });
        const draft: RuleDraft = answer.rule;
        previews.set(draft, {
          draft,
          matches: answer.matches,
          pendingCount: answer.pendingCount,
          pastCount: answer.pastCount,
        });
        return draft;
      } catch (error) {
        if (error instanceof CommandFailure && error.error.code === 'conflict')
          throw new PermissionRequestNotPendingError(requestId);
        throw error;
      }
    },
    previewRule(draft, limit = 50) {
      const preview = previews.get(draft);
      if (preview === undefined) throw new Error('previewRule needs a draft from draftAlwaysAllow');
      return { ...preview, matches: preview.matches.slice(0, limit) };
    },
  };
}
