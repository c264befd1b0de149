// Sending the operator's decision on a prompt: the host's actions (permission.decide) plus
// "Deny & pause goal", which pauses the goal first (so it does not start another turn) and then
// denies and ends the turn.
import type { OperatorAction } from '../../../shared/commands/permissions';
import type { PermissionRecord } from '../../../shared/domain/permission';
import { call } from '../../lib/command';

export type CardAction = OperatorAction | { kind: 'deny_pause'; message: string };

export async function sendDecision(record: PermissionRecord, action: CardAction): Promise<void> {
  const { id: requestId, goalId } = record.request;
  if (action.kind === 'deny_pause') {
    await call('goal.pause', { goalId });
    await call('permission.decide', { requestId, action: { kind: 'deny_stop', message: action.message } });
    return;
  }
  await call('permission.decide', { requestId, action });
}
