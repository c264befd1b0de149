// Which attempt runner a GoalDriver uses, built from its config and ports: the one the config
// injects (tests), the long-lived runner (one Claude Code process per goal, the default), or the
// per-turn runner (a `claude -p` process per turn, the fallback). Both real runners share the same
// config and dependencies, built here once.
import type { DriverEvent } from '../../shared/events.js';
import { DEFAULT_TURN_TIMEOUT_MS } from '../../shared/domain/turn-timeout.js';
import { DefaultAcceptanceEvaluator } from './acceptance.js';
import { ClaudeAttemptRunner, type ClaudeAttemptConfig, type ClaudeAttemptDeps } from './attempt.js';
import type { AttemptRunner } from './attempt-port.js';
import { DEFAULT_CLAUDE_PROCESS } from './claude-process-mode.js';
import { LongLivedAttemptRunner } from './long-lived.js';
import { PERMISSION_PROMPT_TOOL } from './mcp-config.js';
import type { GoalDriverConfig, GoalDriverPorts } from './orchestrator.js';

/** The attempt runner for a driver with `config` and `ports`; its events go to `publish`. */
export function chooseAttemptRunner(
  config: GoalDriverConfig,
  ports: GoalDriverPorts,
  publish: (event: DriverEvent) => void,
): AttemptRunner {
  if (config.attemptRunner !== undefined) return config.attemptRunner;
  const attemptConfig: ClaudeAttemptConfig = {
    claudeBin: config.claudeBin,
    extraArgs: config.extraArgs ?? [],
    settingSources: config.settingSources === undefined ? 'user' : config.settingSources,
    permissionPromptTool: PERMISSION_PROMPT_TOOL,
    env: config.env ?? process.env,
    turnTimeoutMs: config.turnTimeoutMs ?? DEFAULT_TURN_TIMEOUT_MS,
    killGraceMs: config.killGraceMs ?? 5000,
  };
  const attemptDeps: ClaudeAttemptDeps = {
    bindings: ports.bindings,
    transcripts: ports.transcripts,
    events: { publish },
    acceptance:
      config.acceptance ??
      new DefaultAcceptanceEvaluator({
        judge: {
          claudeBin: config.claudeBin,
          env: config.env ?? process.env,
          settingSources: config.settingSources === undefined ? 'user' : config.settingSources,
        },
      }),
    rewinds: ports.rewinds ?? null,
  };
  return (config.claudeProcess ?? DEFAULT_CLAUDE_PROCESS) === 'long-lived'
    ? new LongLivedAttemptRunner(attemptConfig, attemptDeps, config.longLivedRecycleTurns)
    : new ClaudeAttemptRunner(attemptConfig, attemptDeps);
}
