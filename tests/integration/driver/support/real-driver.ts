// Integration harness: a GoalDriver wired to the REAL Claude Code CLI (node_modules/.bin/claude)
// talking to the scripted fake model, the real permission service (bridge started by Claude through
// the per-goal MCP config) with the real SQLite permission stores on ':memory:', and the real git
// workspace manager on a fresh repo.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { claudeBin, claudeEnv } from '../../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel, type FakeScript } from '../../../fake-model/server.js';
import { GoalDriver, type GoalDriverConfig } from '../../../../src/main/driver/orchestrator.js';
import { createPermissionService, type PermissionService } from '../../../../src/main/permission/index.js';
import { permissionTestStores } from '../../../helpers/permission-stores.js';
import { GitWorkspaceManager } from '../../../../src/main/workspace/index.js';
import type { WorkspacePort } from '../../../../src/main/driver/ports.js';
import type { Goal } from '../../../../src/shared/domain/goal.js';
import { makeGoal } from '../../../unit/driver/support/goals.js';
import {
  MemoryBindings,
  MemoryEventSink,
  MemoryTranscripts,
  MemoryCompactSummaries,
} from '../../../unit/driver/support/memory-ports.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const tsxLoader = join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const bridgeEntry = join(repoRoot, 'src', 'main', 'permission', 'bridge.ts');

export interface RealDriver {
  model: FakeModel;
  driver: GoalDriver;
  events: MemoryEventSink;
  bindings: MemoryBindings;
  transcripts: MemoryTranscripts;
  permissions: PermissionService;
  workspaces: GitWorkspaceManager;
  /** The repository goals work on (one commit with README.md). */
  repo: string;
  root: string;
  /**
   * Whether Claude Code's own transcript of `sessionId` holds `text` yet. The CLI writes that file
   * behind its stdout: a process killed right after a turn's result line can leave the turn out of
   * it, or leave no file at all (then `--resume` finds no conversation).
   */
  sessionFileHolds(sessionId: string, text: string): boolean;
  goal(overrides?: Parameters<typeof makeGoal>[0]): Goal;
  close(): Promise<void>;
}

function git(cwd: string, args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore' });
}

/** The bridge command from source; `wrap` lets a test put a command in front of it (e.g. a start-up delay). */
export function sourceBridge(wrap: string[] = []): { command: string; args: string[] } {
  const argv = [...wrap, process.execPath, '--import', tsxLoader, bridgeEntry];
  return { command: argv[0] ?? process.execPath, args: argv.slice(1) };
}

export async function startRealDriver(
  script: FakeScript,
  config: Partial<GoalDriverConfig> = {},
  options: {
    bridge?: { command: string; args: string[] };
    extraEnv?: Record<string, string>;
    /** Wraps the real workspace port (e.g. to act while a checkpoint is being taken). */
    wrapWorkspaces?: (port: WorkspacePort) => WorkspacePort;
  } = {},
): Promise<RealDriver> {
  const model = await startFakeModel(script);
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'driver-it-')));
  const repo = join(root, 'repo');
  mkdirSync(repo);
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['config', 'user.name', 'Test']);
  git(repo, ['config', 'user.email', 'test@example.com']);
  git(repo, ['config', 'commit.gpgsign', 'false']);
  writeFileSync(join(repo, 'README.md'), '# fixture\n');
  git(repo, ['add', '-A']);
  git(repo, ['commit', '-q', '-m', 'initial']);

  const events = new MemoryEventSink();
  const bindings = new MemoryBindings();
  const transcripts = new MemoryTranscripts();
  const permissionStores = permissionTestStores();
  const permissions = createPermissionService({
    runtimeDir: join(root, 'run'),
    bridge: options.bridge ?? sourceBridge(),
    stores: permissionStores,
    events,
  });
  await permissions.start();
  const workspaces = new GitWorkspaceManager({ worktreesDir: join(root, 'worktrees') });
  const driver = new GoalDriver(
    {
      events,
      bindings,
      transcripts,
      workspaces: options.wrapWorkspaces?.(workspaces) ?? workspaces,
      permissions,
      compactSummaries: new MemoryCompactSummaries(),
    },
    {
      claudeBin,
      env: { ...claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') }), ...options.extraEnv },
      goalFilesDir: join(root, 'goals'),
      turnTimeoutMs: 90_000,
      killGraceMs: 3000,
      ...config,
    },
  );
  return {
    model,
    driver,
    events,
    bindings,
    transcripts,
    permissions,
    workspaces,
    repo,
    root,
    sessionFileHolds: (sessionId, text) => {
      const projects = join(root, 'claude-config', 'projects');
      if (!existsSync(projects)) return false;
      return readdirSync(projects).some((project) => {
        const file = join(projects, project, `${sessionId}.jsonl`);
        return existsSync(file) && readFileSync(file, 'utf8').includes(text);
      });
    },
    goal: (overrides = {}) => {
      const goal = makeGoal({ repoPath: repo, permissionMode: 'allow-all', ...overrides });
      permissionStores.addGoal(goal.id, goal.repoPath);
      return goal;
    },
    async close() {
      await driver.shutdown();
      await permissions.close();
      permissionStores.close();
      await model.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
