// NATS security with a real nats-server that requires credentials: a runner with the wrong
// password is refused (exit 1, saying so), one with the right password comes online, and a
// console user without publish rights on the runner's command subjects gets a clear error
// instead of a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtCli } from '../../helpers/serve.js';
import { spawnCli, type Spawned } from './support.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';

let root: string;
let nats: NatsServer;

const AUTHORIZATION = `
  users = [
    { user: runner, password: runner-secret }
    { user: viewer, password: viewer-secret, permissions: { publish: { deny: ["overseer.runner.*.cmd.>"] } } }
  ]`;

/** The built CLI with this machine's environment, no NATS URL of its own, and `env`. */
function start(args: string[], env: NodeJS.ProcessEnv): Spawned {
  return spawnCli(args, { ...process.env, OVERSEER_NATS_URL: '', ...env });
}

beforeAll(async () => {
  if (!existsSync(builtCli)) throw new Error(`build the CLI first (npx electron-vite build): ${builtCli} is missing`);
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-auth-'));
  nats = await startNatsServer({ authorization: AUTHORIZATION });
}, 120_000);
afterAll(async () => {
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('NATS credentials', () => {
  it('refuses a runner with the wrong password', { timeout: 120_000 }, async () => {
    const agent = await start(
      [
        'agent',
        '--nats',
        nats.url,
        '--name',
        'intruder',
        '--nats-user',
        'runner',
        '--data-dir',
        join(root, 'intruder'),
      ],
      {
        OVERSEER_NATS_PASSWORD: 'wrong',
      },
    ).done;
    expect(agent.code).toBe(1);
    expect(agent.stderr).toContain('refused our credentials');
    const anonymous = await start(['runners', '--nats', nats.url], {}).done;
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('refused our credentials');
  });

  it(
    'lets the right runner in; a user without publish rights on its commands is told so',
    { timeout: 300_000 },
    async () => {
      const agent = start(
        [
          'agent',
          '--nats',
          nats.url,
          '--name',
          'secure',
          '--nats-user',
          'runner',
          '--data-dir',
          join(root, 'secure'),
          '--heartbeat-ms',
          '500',
        ],
        {
          OVERSEER_NATS_PASSWORD: 'runner-secret',
        },
      );
      try {
        const deadline = Date.now() + 120_000;
        while (!agent.output().includes('Runner secure is online')) {
          if (Date.now() > deadline || agent.child.exitCode !== null)
            throw new Error(`the runner did not come online:\n${agent.output()}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const viewerEnv = { OVERSEER_NATS_PASSWORD: 'viewer-secret' };
        const listed = await start(['runners', '--json', '--nats', nats.url, '--nats-user', 'viewer'], viewerEnv).done;
        expect(listed.code, listed.stderr).toBe(0);
        expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'secure', online: true }]);
        const cancel = await start(
          ['cancel', 'abc', '--runner', 'secure', '--nats', nats.url, '--nats-user', 'viewer'],
          viewerEnv,
        ).done;
        expect(cancel.code).toBe(1);
        expect(cancel.stderr).toContain('may not publish on overseer.runner.secure.cmd.goals.list');
      } finally {
        agent.child.kill('SIGTERM');
        await agent.done;
      }
    },
  );
});
