// The subject permissions docs/nats.md gives for a runner and for a console, taken from the
// document itself and run on a real nats-server: a runner with exactly its block comes online,
// publishes its events and answers commands; a console with exactly its block lists runners and
// runs commands; the runner cannot command another runner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { builtCli } from '../../helpers/serve.js';
import { spawnCli, type Spawned } from './support.js';
import { startNatsServer, type NatsServer } from '../../helpers/nats-server.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The fenced block after `<!-- permissions:<who> -->` in docs/nats.md. */
function documented(who: 'runner' | 'console'): string {
  const doc = readFileSync(join(repo, 'docs', 'nats.md'), 'utf8');
  const match = new RegExp(`<!-- permissions:${who} -->\\s*\`\`\`\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (match?.[1] === undefined) throw new Error(`docs/nats.md has no permissions:${who} block`);
  return match[1];
}

let root: string;
let nats: NatsServer;

/** The built CLI as a NATS user whose password is `password` (no NATS URL from the environment). */
function start(args: string[], password: string): Spawned {
  return spawnCli(args, { ...process.env, OVERSEER_NATS_URL: '', OVERSEER_NATS_PASSWORD: password });
}

beforeAll(async () => {
  if (!existsSync(builtCli)) throw new Error(`build the CLI first (npx electron-vite build): ${builtCli} is missing`);
  root = mkdtempSync(join(tmpdir(), 'overseer-nats-perms-'));
  const runner = documented('runner').replaceAll('RUNNER', 'box-one');
  const consoleUser = documented('console');
  nats = await startNatsServer({
    authorization: `users = [
      { user: box-one, password: box-secret, ${runner} }
      { user: console, password: console-secret, ${consoleUser} }
    ]`,
  });
}, 120_000);
afterAll(async () => {
  await nats?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the documented NATS permissions', () => {
  it('are enough for a runner and a console, and keep a runner to its own subjects', { timeout: 300_000 }, async () => {
    const agent = start(
      [
        'agent',
        '--nats',
        nats.url,
        '--name',
        'box-one',
        '--nats-user',
        'box-one',
        '--data-dir',
        join(root, 'box'),
        '--heartbeat-ms',
        '500',
      ],
      'box-secret',
    );
    try {
      const deadline = Date.now() + 120_000;
      while (!agent.output().includes('Runner box-one is online')) {
        if (Date.now() > deadline || agent.child.exitCode !== null)
          throw new Error(`the runner did not come online:\n${agent.output()}\n${nats.output().slice(-3000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const as = ['--nats', nats.url, '--nats-user', 'console'];
      const listed = await start(['runners', '--json', ...as], 'console-secret').done;
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject([{ name: 'box-one', online: true }]);
      const goals = await start(['goals', '--json', '--runner', 'box-one', ...as], 'console-secret').done;
      expect(goals.code, goals.stderr).toBe(0);
      expect(JSON.parse(goals.stdout)).toEqual([]);
      // The runner's own credentials cannot command another runner.
      const nc = await connect({ servers: nats.url, user: 'box-one', pass: 'box-secret' });
      await expect(nc.request('overseer.runner.other.cmd.goals.list', '{}', { timeout: 10_000 })).rejects.toThrow(
        /permission/i,
      );
      await nc.close();
      expect(agent.output()).not.toMatch(/could not update presence|publishing event/);
    } finally {
      agent.child.kill('SIGTERM');
      await agent.done;
    }
  });
});
