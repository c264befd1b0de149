// The host: composes src/main into one object both transports serve — the stores (with crash
// recovery at start), the permission server and broker, the workspace manager, the goal runner
// (driver), the command handlers and the event hub. Plain Node: it runs in tests, in the CLI and
// behind the desktop shell alike.
import { CommandDispatcher } from './dispatcher.js';
import { EventHub } from './event-hub.js';
import { prepareDataDir, type DataPaths } from '../paths.js';
import { openStores, type RecoverySummary, type Stores } from '../store/index.js';
import { createPermissionService, type PermissionService } from '../permission/index.js';
import { GitWorkspaceManager } from '../workspace/index.js';
import type { GoalDriverConfig } from '../driver/index.js';
import { GoalRunner } from './goal-runner.js';
import { bridgeCommand, type BridgeCommand } from './bridge-command.js';
import { appHandlers } from './handlers/app.js';
import { goalHandlers } from './handlers/goals.js';
import { permissionHandlers } from './handlers/permissions.js';
import { settingsHandlers } from './handlers/settings.js';
import { landHandlers } from './handlers/land.js';
import { approvalHandlers } from './handlers/approval.js';
import { runnerHandlers } from './handlers/runners.js';
import { LandService } from './land-service.js';
import { reviewHandlers } from './handlers/review.js';
import { acquireHostLock } from './host-lock.js';
import { killOrphans, orphanCandidates } from './orphans.js';
import { reattachGoals, type ReattachSummary } from './reattach.js';
import type { RunnersList } from '../../shared/commands/runners.js';

export interface HostOptions {
  /** Data directory root; defaults to $OVERSEER_HOME or the platform's app-data folder. */
  dataDir?: string;
  /** Which shell hosts us; reported by app.info. */
  mode: 'electron' | 'browser' | 'cli';
  /** Heartbeat period in ms (0 turns it off). */
  heartbeatMs?: number;
  /** `--claude PATH`; otherwise the setting, OVERSEER_CLAUDE_BIN, PATH, the login shell. */
  claudeBinary?: string | null;
  /** Driver settings for every goal (env of claude, timeouts, setting sources...). */
  driver?: Partial<Omit<GoalDriverConfig, 'claudeBin' | 'goalFilesDir'>>;
  /** How Claude starts the permission bridge (default: the built entry or the sources via tsx). */
  bridge?: BridgeCommand;
  /** Deny operator prompts after this long (default: wait as long as it takes). */
  operatorTimeoutMs?: number | null;
  /** Reattach paused, sleeping and queued goals at start (default true). */
  reattach?: boolean;
  /** Answers `runners.list` (the console watching a NATS server); default: no NATS configured. */
  runners?: () => Promise<RunnersList>;
}

export interface Host {
  readonly paths: DataPaths;
  readonly dispatcher: CommandDispatcher;
  readonly events: EventHub;
  readonly stores: Stores;
  readonly permissions: PermissionService;
  readonly runner: GoalRunner;
  /** What the start-up sweep found (goals left running, processes stopped, prompts expired). */
  readonly recovery: RecoverySummary;
  /** Goals picked up again at start (paused, sleeping, queued, resumed). */
  readonly reattached: ReattachSummary | null;
  close(): Promise<void>;
}

export async function createHost(options: HostOptions): Promise<Host> {
  const paths = prepareDataDir(options.dataDir);
  const releaseLock = acquireHostLock(paths.root, options.mode);
  const dispatcher = new CommandDispatcher();
  const events = new EventHub();
  const startedAt = Date.now();
  let stores: Stores;
  try {
    stores = openStores(paths.database);
  } catch (error) {
    releaseLock();
    throw error;
  }
  let permissions: PermissionService | null = null;
  try {
    const orphans = await orphanCandidates(stores);
    const recovery = await stores.recoverAtStart();
    await killOrphans(orphans);
    permissions = createPermissionService({
      runtimeDir: paths.runtimeDir,
      bridge: options.bridge ?? bridgeCommand(),
      stores: { records: stores.permissions, rules: stores.rules },
      events: stores.events,
      operatorTimeoutMs: options.operatorTimeoutMs ?? null,
    });
    await permissions.start();
    const workspaces = new GitWorkspaceManager({ worktreesDir: paths.worktreesDir });
    const runner = new GoalRunner({
      paths,
      stores,
      permissions,
      workspaces,
      claudeBinary: options.claudeBinary ?? null,
      ...(options.driver !== undefined ? { driver: options.driver } : {}),
    });
    const stopForwarding = stores.events.subscribe((seq, event, at) => {
      events.publish('goal.event', { logSeq: seq, at, event });
    });

    // One handler module per contract domain (src/shared/commands/<domain>.ts → handlers/<domain>.ts).
    dispatcher.registerAll(appHandlers(paths, options.mode));
    dispatcher.registerAll(goalHandlers(stores, runner));
    dispatcher.registerAll(permissionHandlers(stores, permissions));
    dispatcher.registerAll(settingsHandlers(stores));
    dispatcher.registerAll(landHandlers(stores, runner, new LandService(stores, runner, workspaces)));
    dispatcher.registerAll(approvalHandlers(stores, runner));
    dispatcher.registerAll(reviewHandlers(stores, runner, workspaces));
    dispatcher.registerAll(runnerHandlers(options.runners));

    const heartbeatMs = options.heartbeatMs ?? 5000;
    const timer =
      heartbeatMs > 0
        ? setInterval(
            () => events.publish('host.heartbeat', { at: new Date().toISOString(), uptimeMs: Date.now() - startedAt }),
            heartbeatMs,
          )
        : null;
    timer?.unref();

    const reattached = options.reattach === false ? null : await reattachGoals(stores, runner);
    const service = permissions;
    let closed = false;
    return {
      paths,
      dispatcher,
      events,
      stores,
      permissions: service,
      runner,
      recovery,
      reattached,
      async close() {
        if (closed) return;
        closed = true;
        if (timer !== null) clearInterval(timer);
        const wasRunning = runner.runningGoalIds().map((goalId) => {
          const record = stores.goals.get(goalId);
          return { goalId, status: record?.status ?? null, pausedAtCap: record?.pausedAtCap ?? null };
        });
        await runner.shutdown();
        // Stopping the console is not cancelling the goal: a paused or sleeping goal keeps its state
        // (the next start reattaches it, one paused at a budget cap waiting there again); one that was working is left interrupted, resumable.
        for (const { goalId, status, pausedAtCap } of wasRunning) {
          if (status === 'paused' || status === 'sleeping') {
            stores.goals.setStatus(goalId, status, pausedAtCap);
            continue;
          }
          stores.events.appendDurable({
            kind: 'driver_warning',
            goalId,
            message: 'Overseer stopped while this goal ran; restart it to continue where it left off.',
          });
          stores.goals.setStatus(goalId, 'interrupted');
        }
        await service.close();
        stopForwarding();
        stores.close();
        releaseLock();
      },
    };
  } catch (error) {
    await permissions?.close().catch(() => undefined);
    stores.close();
    releaseLock();
    throw error;
  }
}
