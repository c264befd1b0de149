// The permission service the host wires in: the PermissionServer on its Unix socket, the broker behind
// it, per-goal secrets, and the PermissionPort the driver uses (openGoal → the MCP server entry for the
// goal's --mcp-config, `ask` for prompts Claude sends on its own stdio, decision notices, turn tracking,
// close) plus the broker's operator API.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Goal, PermissionMode } from '../../shared/domain/goal.js';
import type { PermissionRecord, PermissionRule } from '../../shared/domain/permission.js';
import type {
  EventSink,
  McpServerSpec,
  PermissionDecisionNotice,
  PermissionGoalHandle,
  PermissionPort,
  Workspace,
} from '../driver/index.js';
import { answerFor } from '../driver/permission-answer.js';
import { ensurePrivateDir } from '../paths.js';
import { isAbortedDecision, PermissionBroker } from './broker.js';
import type { AlwaysAllow, DecisionNotice, PermissionOperator, RuleDraft, RulePreview } from './operator.js';
import type { PermissionRecordStore, RuleStore } from './ports.js';
import { goalPolicyFromMetadata, type GoalPermissionPolicy } from './rules-file.js';
import { PermissionServer } from './server.js';

export { PermissionBroker } from './broker.js';
export type { BrokerGoal } from './broker.js';
export * from './operator.js';
export { PermissionServer } from './server.js';
export { goalPolicyFromMetadata, loadRulesFile, parseRulesText, withGoalPolicy, RulesFileError } from './rules-file.js';
export { createTerminalOperator, TerminalRequiredError } from './terminal.js';
export type { TerminalOperator, TerminalOperatorOptions, TerminalOperatorPort } from './terminal.js';
export type { PermissionRecordStore, RuleStore } from './ports.js';
export { sourceBridgeCommand } from './source-bridge.js';
export type { GoalPermissionPolicy, GoalRule } from './rules-file.js';

/** Unix socket paths longer than this do not fit sockaddr_un on every platform (macOS: 104). */
const MAX_SOCKET_PATH_BYTES = 100;

export interface PermissionServiceOptions {
  /** The host's 0700 runtime folder (paths.ts DataPaths.runtimeDir); the socket goes here. */
  runtimeDir: string;
  /**
   * How Claude Code starts the bridge: e.g. { command: process.execPath, args: ['--import', 'tsx',
   * '<abs>/src/main/permission/bridge.ts'] } in dev, or the built bridge.js (in Electron the host adds
   * ELECTRON_RUN_AS_NODE=1 to env).
   */
  bridge: { command: string; args: string[]; env?: Record<string, string> };
  stores: { records: PermissionRecordStore; rules: RuleStore };
  events: EventSink;
  /** Deny operator requests after this long; null/undefined: wait as long as it takes. */
  operatorTimeoutMs?: number | null;
  /** Override the socket path (default <runtimeDir>/permission.sock, or a short /tmp path if too long). */
  socketPath?: string;
  maxFrameBytes?: number;
  onProblem?: (message: string) => void;
  now?: () => Date;
  newId?: () => string;
}

/** Overrides for one goal; by default the goal's permissionMode and the policy in its metadata apply. */
export interface OpenGoalOptions {
  mode?: PermissionMode;
  policy?: GoalPermissionPolicy | null;
}

export interface PermissionService extends PermissionPort, PermissionOperator {
  readonly socketPath: string;
  readonly broker: PermissionBroker;
  /** Marks a dead host's pending requests expired, then listens. */
  start(): Promise<{ expired: number }>;
  /** Stops listening; every open goal is closed (pending requests denied). */
  close(): Promise<void>;
  openGoal(goal: Goal, workspace: Workspace, options?: OpenGoalOptions): PermissionGoalHandle;
  /** Every decision on every goal. */
  onDecision(listener: (notice: DecisionNotice) => void): () => void;
}

export function socketPathFor(runtimeDir: string): string {
  const preferred = join(runtimeDir, 'permission.sock');
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  const digest = createHash('sha256').update(runtimeDir).digest('hex').slice(0, 16);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return join(ensurePrivateDir(join(tmpdir(), `overseer-${uid}-${digest}`)), 'permission.sock');
}

/** A goal's secret: 32 random bytes in base64url, so always 43 characters (its length tells nothing). */
function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** What a secret sent for an unknown goal is compared against, so that costs what a known goal does. */
const NO_GOAL_SECRET = Buffer.from(newSecret(), 'utf8');

interface GoalRegistration {
  secret: string;
  /** The secret's UTF-8 bytes, compared in constant time with what each frame carries. */
  secretBytes: Buffer;
  spec: McpServerSpec;
}

export function createPermissionService(options: PermissionServiceOptions): PermissionService {
  ensurePrivateDir(options.runtimeDir);
  const socketPath = options.socketPath ?? socketPathFor(options.runtimeDir);
  const broker = new PermissionBroker({
    records: options.stores.records,
    rules: options.stores.rules,
    events: options.events,
    operatorTimeoutMs: options.operatorTimeoutMs ?? null,
    now: options.now,
    newId: options.newId,
  });
  const registrations = new Map<string, GoalRegistration>();

  const server = new PermissionServer({
    socketPath,
    maxFrameBytes: options.maxFrameBytes,
    onProblem: options.onProblem,
    handler: {
      authenticate(goalId, secret) {
        const registration = registrations.get(goalId);
        const expected = registration?.secretBytes ?? NO_GOAL_SECRET;
        const given = Buffer.from(secret, 'utf8');
        // Constant time over the bytes. timingSafeEqual needs equal lengths, and every secret has the
        // same length, so checking it first reveals nothing. (Hashing both sides first, as this did,
        // cost a SHA-256 per permission prompt.)
        const matches = given.length === expected.length && timingSafeEqual(expected, given);
        return matches && registration !== undefined && broker.isOpen(goalId);
      },
      decide: (goalId, call, signal) => broker.decide(goalId, call, signal),
    },
  });

  function closeGoal(goalId: string, reason: string): void {
    registrations.delete(goalId);
    broker.closeGoal(goalId, reason);
  }

  function openGoal(goal: Goal, workspace: Workspace, goalOptions: OpenGoalOptions = {}): PermissionGoalHandle {
    const policy = goalOptions.policy !== undefined ? goalOptions.policy : goalPolicyFromMetadata(goal.metadata);
    broker.openGoal({
      goalId: goal.id,
      repoPath: workspace.repoPath,
      workspacePath: workspace.path,
      mode: goalOptions.mode ?? goal.permissionMode,
      policy,
    });
    let registration = registrations.get(goal.id);
    if (registration === undefined) {
      const secret = newSecret();
      registration = {
        secret,
        secretBytes: Buffer.from(secret, 'utf8'),
        spec: {
          command: options.bridge.command,
          args: [...options.bridge.args],
          env: {
            ...(options.bridge.env ?? {}),
            OVERSEER_PERMISSION_SOCKET: socketPath,
            OVERSEER_GOAL_ID: goal.id,
            OVERSEER_GOAL_SECRET: secret,
          },
        },
      };
      registrations.set(goal.id, registration);
    }
    const unsubscribers = new Set<() => void>();
    const spec = registration.spec;
    return {
      mcpServer: { command: spec.command, args: [...spec.args], env: { ...spec.env } },
      onDecision(listener: (notice: PermissionDecisionNotice) => void): () => void {
        const unsubscribe = broker.onDecision((notice) => {
          if (notice.goalId !== goal.id) return;
          listener({
            goalId: notice.goalId,
            requestId: notice.requestId,
            toolName: notice.toolName,
            decision: notice.decision,
            aborted: isAbortedDecision(notice.decidedBy),
          });
        });
        unsubscribers.add(unsubscribe);
        return () => {
          unsubscribers.delete(unsubscribe);
          unsubscribe();
        };
      },
      // A prompt that reached the host without the bridge (Claude's stdio, long-lived mode): the same
      // broker and records as one through the socket, answered in the shape Claude Code reads.
      ask: (prompt, signal) => broker.decide(goal.id, prompt, signal).then(answerFor),
      awaitingOperator: () => broker.awaitingOperator(goal.id),
      setTurn(turnIndex: number | null): void {
        broker.setTurn(goal.id, turnIndex);
      },
      close(reason: string): void {
        closeGoal(goal.id, reason);
        for (const unsubscribe of unsubscribers) unsubscribe();
        unsubscribers.clear();
      },
    };
  }

  return {
    socketPath,
    broker,
    async start() {
      const expired = broker.expireAtStart();
      await server.start();
      return { expired };
    },
    async close() {
      for (const goalId of [...registrations.keys()]) closeGoal(goalId, 'the Overseer host is shutting down');
      // Let the denies just made reach their bridges before the connections drop.
      await new Promise((resolve) => setImmediate(resolve));
      await server.close();
    },
    openGoal,
    onDecision: (listener) => broker.onDecision(listener),
    listPending: (): PermissionRecord[] => broker.listPending(),
    allowOnce: (requestId, decidedBy) => broker.allowOnce(requestId, decidedBy),
    allowWithEdit: (requestId, input, decidedBy) => broker.allowWithEdit(requestId, input, decidedBy),
    alwaysAllow: (requestId, alwaysOptions: AlwaysAllow): PermissionRule =>
      broker.alwaysAllow(requestId, alwaysOptions),
    draftAlwaysAllow: (requestId, alwaysOptions: AlwaysAllow): RuleDraft =>
      broker.draftAlwaysAllow(requestId, alwaysOptions),
    previewRule: (draft: RuleDraft, limit?: number): RulePreview => broker.previewRule(draft, limit),
    deny: (requestId, message, decidedBy) => broker.deny(requestId, message, decidedBy),
    denyAndStop: (requestId, message, decidedBy) => broker.denyAndStop(requestId, message, decidedBy),
  };
}
