// Child process for the long-lived restart test: a host driving Claude Code in long-lived mode that
// starts one goal and prints "GOAL <id>", and "PROC <pid>" for every Claude process it records. The
// test SIGKILLs it while the goal's live process waits between turns (acceptance is running).
import { z } from 'zod';
import { createHost } from '../../../src/main/host/host.js';
import { claudeBin, claudeEnv } from '../../fake-model/claude-env.js';

const [dataDir, repo, baseUrl, configDir, acceptanceCommand] = process.argv.slice(2);
if (
  dataDir === undefined ||
  repo === undefined ||
  baseUrl === undefined ||
  configDir === undefined ||
  acceptanceCommand === undefined
) {
  throw new Error('usage: long-lived-crash-host.ts DATA_DIR REPO FAKE_URL CLAUDE_CONFIG_DIR ACCEPTANCE_COMMAND');
}
const host = await createHost({
  mode: 'cli',
  dataDir,
  heartbeatMs: 0,
  claudeBinary: claudeBin,
  driver: { claudeProcess: 'long-lived', env: claudeEnv({ baseUrl, configDir }) },
});
const transcripts = host.stores.transcripts;
const record = transcripts.recordProcess.bind(transcripts);
transcripts.recordProcess = (goalId, turnIndex, pid, startedAt) => {
  record(goalId, turnIndex, pid, startedAt);
  process.stdout.write(`PROC ${pid}\n`);
};
const result = await host.dispatcher.invoke(
  'goal.create',
  {
    description: 'reply, then wait in acceptance',
    repoPath: repo,
    permissionMode: 'allow-all',
    acceptance: [
      { kind: 'shell_command', command: acceptanceCommand, expectedExit: 0, stdoutMustMatch: null, timeoutSecs: 900 },
    ],
  },
  { transport: 'local' },
);
if (!result.ok) throw new Error(result.error.message);
const created = z.object({ goalId: z.string() }).parse(result.value);
process.stdout.write(`GOAL ${created.goalId}\n`);
