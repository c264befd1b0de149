// `overseer run`: drives one goal. With the console running (its endpoint file in the data
// directory), the goal is created and driven by the console's host — it shows live there, and its
// prompts can be answered in either place; otherwise the CLI runs its own host in this process.
// Exit codes: 0 done; 2 budget exhausted; 3 escalated or acceptance never met; 130 cancelled
// (first Ctrl-C cancels gracefully, the second kills); 1 bad input.
import { validateRepository, newGoalProblems } from '../host/index.js';
import { ClaudeNotFoundError, findClaude, claudeVersionWarning, readClaudeVersion } from '../driver/index.js';
import { TerminalRequiredError } from '../permission/index.js';
import { parseRunOptions } from './run-options.js';
import { setupIsEmpty } from '../../shared/domain/landing.js';
import { RUN_HELP, UsageError } from './usage.js';
import { openHostClient, runningHost } from './host-client/connect.js';
import { followGoal } from './follow.js';
import { exitCodeFor, followToEnd } from './goal-session.js';
import { hasTerminal } from './terminal.js';

export { exitCodeFor };

export async function runCommand(argv: string[], out: (line: string) => void): Promise<number> {
  const options = parseRunOptions(argv);
  if (options.help) {
    out(RUN_HELP);
    return 0;
  }
  // On a runner, --repo names a folder on that machine: the runner checks it (goal.create).
  const repo =
    options.runner !== null ? { ok: true, path: options.repo, message: '' } : await validateRepository(options.repo);
  if (!repo.ok) throw new UsageError(`--repo: ${repo.message}`);
  const problems = newGoalProblems({ acceptance: options.acceptance, tools: options.tools });
  if (problems.length > 0) throw new UsageError(problems.map((problem) => problem.message).join('\n'));
  if (options.runner !== null && options.claude !== null)
    throw new UsageError(
      '--claude does not go with --runner: the runner uses the Claude Code it found (see `overseer runners`)',
    );
  const running = options.runner !== null ? null : runningHost(options.dataDir);
  const ask = options.permissions.kind === 'ask';
  if (running === null && options.runner === null && ask && !hasTerminal())
    throw new UsageError(new TerminalRequiredError().message);
  if (running === null && options.runner === null && options.onBudget === 'pause' && !hasTerminal()) {
    throw new UsageError(
      '--on-budget pause needs an interactive terminal (or the running console) to ask at a cap; use --on-budget end when running unattended',
    );
  }
  if (running !== null && options.claude !== null) {
    process.stderr.write(
      'overseer: note: the running console drives this goal with its own Claude Code setting; --claude is not used\n',
    );
  }
  if (running !== null && !options.json)
    out(`Using the running Overseer (${running.mode}, pid ${running.pid}): the goal shows live in the console.`);
  if (options.runner !== null && !options.json)
    out(`Running on runner ${options.runner.name} (${options.runner.settings.url}).`);

  const client = await openHostClient({
    dataDir: options.dataDir,
    runner: options.runner,
    publishLocal: true,
    local: async () => {
      try {
        const claudeBinary = (await findClaude({ explicit: options.claude })).path;
        const versionWarning = claudeVersionWarning((await readClaudeVersion(claudeBinary)) ?? '');
        if (versionWarning !== null) process.stderr.write(`overseer: warning: ${versionWarning}\n`);
        return { claudeBinary };
      } catch (error) {
        if (error instanceof ClaudeNotFoundError) throw new UsageError(error.message);
        throw error;
      }
    },
  });
  try {
    if (!options.inPlace && options.setup === null) {
      const stored = await client.invoke('repo.settings.get', { repoPath: repo.path });
      if (setupIsEmpty(stored.setup) && stored.lockfileHint !== null) {
        process.stderr.write(
          `overseer: hint: ${stored.lockfileHint.message} (this goal: --setup "${stored.lockfileHint.command}"; every goal: Settings → Repositories)\n`,
        );
      }
    }
    const askOnTerminal = ask && hasTerminal();
    if (ask && !askOnTerminal && !options.json)
      out("Permission prompts wait in the console's inbox (this terminal is not interactive).");
    const follower = followGoal(client, {
      json: options.json,
      out,
      askOnTerminal,
      askAtCap: options.onBudget === 'pause' && hasTerminal(),
    });
    let goalId: string;
    try {
      let queuePosition: number | null;
      ({ goalId, queuePosition } = await client.invoke('goal.create', {
        description: options.goal,
        repoPath: repo.path,
        acceptance: options.acceptance,
        budget: options.budget,
        model: options.model,
        permissionMode: options.permissions.kind === 'mode' ? options.permissions.mode : 'ask',
        permissionPolicy: options.permissions.kind === 'rules' ? options.permissions.policy : null,
        inPlace: options.inPlace,
        tools: options.tools,
        setup: options.setup,
        turnTimeoutMs: options.turnTimeoutMs,
        onBudget: options.onBudget,
      }));
      if (queuePosition !== null) {
        process.stderr.write(
          `overseer: the most goals at once are already running (see Settings); this goal is queued at position ${queuePosition} and starts when a slot frees up\n`,
        );
      }
    } catch (error) {
      follower.close();
      throw error;
    }
    await follower.attach(goalId);
    return await followToEnd(client, follower, goalId, { json: options.json, out });
  } finally {
    await client.close();
  }
}
