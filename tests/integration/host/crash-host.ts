// Child process for the crash test: a host that starts one goal and prints, for every event the
// store acknowledged (committed), "ACK <seq> <kind>". The test SIGKILLs it mid-turn.
import { z } from 'zod';
import { createHost } from '../../../src/main/host/host.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';

const [dataDir, repo, baseUrl, configDir] = process.argv.slice(2);
if (dataDir === undefined || repo === undefined || baseUrl === undefined || configDir === undefined) {
  throw new Error('usage: crash-host.ts DATA_DIR REPO FAKE_URL CLAUDE_CONFIG_DIR');
}
const host = await createHost({
  mode: 'cli',
  dataDir,
  heartbeatMs: 0,
  claudeBinary: claudeBin,
  driver: { env: claudeEnv({ baseUrl, configDir }) },
});
host.stores.events.subscribe((seq, event) => process.stdout.write(`ACK ${seq} ${event.kind}\n`));
const result = await host.dispatcher.invoke(
  'goal.create',
  {
    description: 'sleep, then finish',
    repoPath: repo,
    permissionMode: 'allow-all',
    acceptance: [{ kind: 'shell_command', command: 'true', expectedExit: 0, stdoutMustMatch: null, timeoutSecs: 30 }],
  },
  { transport: 'local' },
);
if (!result.ok) throw new Error(result.error.message);
const created = z.object({ goalId: z.string() }).parse(result.value);
process.stdout.write(`GOAL ${created.goalId}\n`);
