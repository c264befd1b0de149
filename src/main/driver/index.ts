// Public surface of the goal driver: GoalDriver and its config, the ports it needs, finding the
// claude binary, and the pluggable policies (acceptance, replay, compaction).
export { GoalDriver, DriverControlError } from './orchestrator.js';
export type { GoalDriverConfig, GoalDriverPorts, RunGoalOptions, DriverControlErrorCode } from './orchestrator.js';
export type * from './ports.js';
export { findClaude, ClaudeNotFoundError, INSTALL_HINT, isExecutableFile } from './find-claude.js';
export type { FindClaudeOptions, FoundClaude, ClaudeSource } from './find-claude.js';
export { DefaultAcceptanceEvaluator, NoopAcceptanceEvaluator } from './acceptance.js';
export { criterionLabel } from '../../shared/domain/acceptance-rules.js';
export type { AcceptanceEvaluator, DefaultAcceptanceOptions } from './acceptance.js';
export { DefaultReplayPolicy } from './replay.js';
export type { ReplayPolicy, ReplayContext } from './replay.js';
export { DefaultCompactPolicy, CompactBreaker, DEFAULT_AUTO_COMPACTION } from './compact.js';
export type { AutoCompactionConfig, CompactPolicy, CompactContext, CompactRequest } from './compact.js';
export { isExhausted, effectiveBudget } from './budget.js';
export { buildClaudeArgs } from './claude-process.js';
export type { PermissionPromptAnswer } from './permission-answer.js';
export { ClaudeAttemptRunner } from './attempt.js';
export { TurnStop } from './attempt-port.js';
export { ATTEMPT_REASONS, parseSleepSentinel } from './turn-verdict.js';
export type { AttemptRunner, AttemptParams, AttemptRunOutput } from './attempt-port.js';
export {
  writeMcpConfig,
  mcpConfigFor,
  MCP_SERVER_NAME,
  PERMISSION_TOOL_NAME,
  PERMISSION_PROMPT_TOOL,
} from './mcp-config.js';
export { parseStreamLine, normalizeLine } from './stream.js';
export { claudeVersionWarning, readClaudeVersion } from './claude-version.js';
export {
  killNow,
  processStartTime,
  readProcessTable,
  stopProcess,
  type ProcessInfo,
  type StopOptions,
  type StopResult,
} from './process-identity.js';
export { relatedProcesses } from './process-tree.js';
export { LongLivedAttemptRunner } from './long-lived.js';
export {
  claudeProcessModeFromEnv,
  CLAUDE_PROCESS_ENV,
  CLAUDE_PROCESS_MODES,
  DEFAULT_CLAUDE_PROCESS,
  type ClaudeProcessMode,
} from './claude-process-mode.js';
