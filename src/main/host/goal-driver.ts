// How the goal runner builds the driver of one goal: the ports the driver depends on, answered by
// the stores, the permission service and the runner's workspaces, and the driver settings taken
// from Settings → "Running goals" (compaction threshold, progress beacons) under the host's own.
import {
  claudeProcessModeFromEnv,
  GoalDriver,
  type GoalDriverConfig,
  DEFAULT_AUTO_COMPACTION,
  type WorkspacePort,
} from '../driver/index.js';
import type { DataPaths } from '../paths.js';
import type { PermissionService } from '../permission/index.js';
import { processStartTime, type Stores } from '../store/index.js';

export interface GoalDriverParts {
  paths: DataPaths;
  stores: Stores;
  permissions: PermissionService;
  workspacePort: WorkspacePort;
  /** The host's driver settings (env of claude, timeouts...); they win over Settings. */
  driver?: Partial<Omit<GoalDriverConfig, 'claudeBin' | 'goalFilesDir'>>;
  claudeBin: string;
}

export function createGoalDriver(parts: GoalDriverParts): GoalDriver {
  const { stores, permissions, paths } = parts;
  return new GoalDriver(
    {
      events: stores.events,
      bindings: stores.sessionBindings,
      transcripts: {
        appendLine: (goalId, turnIndex, line) => stores.transcripts.appendLine(goalId, turnIndex, line),
        // Recovery after a crash stops this process only if pid and kernel start time still match.
        recordProcess: (goalId, turnIndex, pid, startedAt) =>
          stores.transcripts.recordProcess(goalId, turnIndex, pid, processStartTime(pid) ?? startedAt),
        clearProcess: (goalId) => stores.transcripts.clearProcess(goalId),
      },
      workspaces: parts.workspacePort,
      permissions,
      compactSummaries: stores.compactSummaries,
      rewinds: stores.sessionRewinds,
    },
    {
      ...runSettingsConfig(stores),
      // OVERSEER_CLAUDE_PROCESS picks how Claude Code runs; the host's own driver settings win.
      claudeProcess: claudeProcessModeFromEnv(process.env),
      ...parts.driver,
      claudeBin: parts.claudeBin,
      goalFilesDir: paths.goalsDir,
    },
  );
}

/** Compaction threshold and progress beacons from Settings → "Running goals". */
function runSettingsConfig(stores: Stores): Partial<GoalDriverConfig> {
  const run = stores.settings.get('goals.running');
  return {
    // Token pressure only: the age trigger counts from the goal's start, not the last compaction,
    // so it would compact every few turns of a long goal whatever its context.
    autoCompaction: {
      ...DEFAULT_AUTO_COMPACTION,
      tokenPct: run.compactThreshold,
      minTurnsBetween: run.compactMinTurnsBetween,
      maxAgeMinutes: 0,
    },
    progressEveryTurns: run.progressEveryTurns,
  };
}
