// Each handler module answers exactly the commands of its contract domain: `HandlersFor<typeof
// xCommands>` with `satisfies` makes a missing handler, or one for another domain's command, a
// compile error. The `@ts-expect-error` lines below are checked by the typecheck
// (`tsc -p tsconfig.node.json` covers tests/): if HandlersFor stopped catching either mistake, the
// directive itself would be the error.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HandlersFor } from '../../../src/main/host/dispatcher.js';
import { appCommands } from '../../../src/shared/commands/app.js';
import { commands } from '../../../src/shared/contract.js';
import { goalCommands } from '../../../src/shared/commands/goals.js';
import { permissionCommands } from '../../../src/shared/commands/permissions.js';
import { settingsCommands } from '../../../src/shared/commands/settings.js';
import { landCommands } from '../../../src/shared/commands/land.js';
import { approvalCommands } from '../../../src/shared/commands/approval.js';
import { runnerCommands } from '../../../src/shared/commands/runners.js';
import { reviewCommands } from '../../../src/shared/commands/review.js';

const info = {
  name: 'Overseer' as const,
  version: '0',
  mode: 'browser' as const,
  dataDir: '/d',
  platform: 'linux',
  nodeVersion: '22',
};

describe('HandlersFor', () => {
  it('accepts exactly one handler per command of the domain', () => {
    const complete = {
      'app.info': () => info,
      ping: ({ nonce }) => ({ nonce, receivedAt: 'now' }),
    } satisfies HandlersFor<typeof appCommands>;
    expect(Object.keys(complete).sort()).toEqual(Object.keys(appCommands).sort());
  });

  it('refuses a domain module with a handler missing (compile error)', () => {
    // @ts-expect-error: `ping` has no handler
    const missing = { 'app.info': () => info } satisfies HandlersFor<typeof appCommands>;
    expect(Object.keys(missing)).not.toContain('ping');
  });

  it("refuses a handler for another domain's command (compile error)", () => {
    const extra = {
      'app.info': () => info,
      ping: ({ nonce }) => ({ nonce, receivedAt: 'now' }),
      // @ts-expect-error: goal.get belongs to the goal commands, not the app commands
      'goal.get': () => null,
    } satisfies HandlersFor<typeof appCommands>;
    expect(Object.keys(extra)).toContain('goal.get');
  });

  it('refuses a handler whose answer does not match the contract (compile error)', () => {
    const wrong = {
      'app.info': () => info,
      // @ts-expect-error: ping answers { nonce, receivedAt }
      ping: () => ({ nonce: 1 }),
    } satisfies HandlersFor<typeof appCommands>;
    expect(Object.keys(wrong)).toContain('ping');
  });
});

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the contract domains', () => {
  it('split the contract: every command is in exactly one domain map', () => {
    const domains = [
      appCommands,
      goalCommands,
      permissionCommands,
      settingsCommands,
      landCommands,
      approvalCommands,
      runnerCommands,
      reviewCommands,
    ];
    const channels = domains.flatMap((domain) => Object.keys(domain));
    expect(new Set(channels).size).toBe(channels.length);
    expect([...channels].sort()).toEqual(Object.keys(commands).sort());
  });

  it('pair each contract file with the handler module of the same name', () => {
    const names = (dir: string) =>
      readdirSync(join(root, dir))
        .filter((file) => file.endsWith('.ts'))
        .sort();
    expect(names('src/shared/commands')).toEqual(names('src/main/host/handlers'));
  });
});
