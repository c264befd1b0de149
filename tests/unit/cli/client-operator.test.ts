// The terminal's operator actions as host commands: what each action sends, a request decided
// elsewhere first (conflict) surfacing as "not pending", and the always-allow preview.
import { describe, expect, it } from 'vitest';
import type { CommandChannel, CommandRequest, HostEvent } from '../../../src/shared/contract.js';
import { CommandFailure, type HostClient } from '../../../src/main/cli/host-client/client.js';
import { clientOperator } from '../../../src/main/cli/host-client/operator.js';
import { PermissionRequestNotPendingError } from '../../../src/main/permission/operator.js';

function recordingClient(answer: (channel: CommandChannel, payload: unknown) => unknown) {
  const sent: { channel: CommandChannel; payload: unknown }[] = [];
  const client: HostClient = {
    kind: 'remote',
    async invoke<C extends CommandChannel>(channel: C, payload: CommandRequest<C>) {
      sent.push({ channel, payload });
      return answer(channel, payload) as never;
    },
    subscribe: (_listener: (event: HostEvent) => void) => () => undefined,
    onLost: () => undefined,
    close: async () => undefined,
  };
  return { client, sent };
}

describe('clientOperator', () => {
  it('sends the inbox commands, with the default messages for empty denials', async () => {
    const { client, sent } = recordingClient(() => ({ ok: true }));
    const operator = clientOperator(client);
    await operator.allowOnce('r1');
    await operator.deny('r2', '  ');
    await operator.denyAndStop('r3', 'stop that');
    await operator.allowWithEdit('r4', { command: 'ls' });
    await operator.alwaysAllow('r5', { scope: 'goal', pattern: null });
    expect(sent).toEqual([
      { channel: 'permission.decide', payload: { requestId: 'r1', action: { kind: 'allow' } } },
      {
        channel: 'permission.decide',
        payload: { requestId: 'r2', action: { kind: 'deny', message: 'The operator denied this tool call.' } },
      },
      {
        channel: 'permission.decide',
        payload: { requestId: 'r3', action: { kind: 'deny_stop', message: 'stop that' } },
      },
      {
        channel: 'permission.decide',
        payload: { requestId: 'r4', action: { kind: 'allow_edited', input: { command: 'ls' } } },
      },
      {
        channel: 'permission.decide',
        payload: { requestId: 'r5', action: { kind: 'always_allow', rule: { scope: 'goal', pattern: null } } },
      },
    ]);
  });

  it('reports a request answered elsewhere first as not pending (first answer wins)', async () => {
    const { client } = recordingClient(() => {
      throw new CommandFailure({
        code: 'conflict',
        message: 'already decided',
        channel: 'permission.decide',
        issues: [],
      });
    });
    await expect(clientOperator(client).allowOnce('r1')).rejects.toBeInstanceOf(PermissionRequestNotPendingError);
  });

  it('previews an always-allow rule from one rule.preview call', async () => {
    const rule = {
      scope: { kind: 'everywhere' as const },
      tool: 'Bash',
      pattern: 'git status*',
      decision: 'allow' as const,
    };
    const { client, sent } = recordingClient(() => ({ rule, matches: [], pendingCount: 2, pastCount: 3 }));
    const operator = clientOperator(client);
    const draft = await operator.draftAlwaysAllow('r1', { scope: 'everywhere', pattern: 'git status*' });
    expect(draft).toEqual(rule);
    expect(await operator.previewRule(draft, 5)).toMatchObject({ pendingCount: 2, pastCount: 3, matches: [] });
    expect(sent).toEqual([
      { channel: 'rule.preview', payload: { requestId: 'r1', rule: { scope: 'everywhere', pattern: 'git status*' } } },
    ]);
  });
});
