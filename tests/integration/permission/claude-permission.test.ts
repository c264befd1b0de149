// The whole permission path with the REAL Claude Code CLI and the scripted fake model: Claude Code →
// (stdio MCP) → the bridge process (spawned from source) → the Unix socket → PermissionServer → broker
// → an operator played by the test, or a stored rule → back into the CLI's tool call.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DriverEvent } from '../../../src/shared/events.js';
import { claudeEnvironment } from '../../../src/main/driver/attempt-process.js';
import type { PermissionGoalHandle } from '../../../src/main/driver/ports.js';
import { buildClaudeArgs } from '../../../src/main/driver/claude-process.js';
import { PERMISSION_PROMPT_TOOL, writeMcpConfig } from '../../../src/main/driver/mcp-config.js';
import { createPermissionService, type PermissionService } from '../../../src/main/permission/index.js';
import { sourceBridgeCommand, tsxImportArgs } from '../../../src/main/permission/source-bridge.js';
import { claudeBin, claudeEnv, scriptSteps } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel } from '../../fake-model/server.js';
import { inPlaceWorkspace, testGoal } from '../../helpers/goal.js';
import { permissionTestStores, type PermissionTestStores } from '../../helpers/permission-stores.js';

const HOST_FIXTURE = fileURLToPath(new URL('./fixtures/host.ts', import.meta.url));

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const resultLineSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  permission_denials: z.array(z.looseObject({ tool_name: z.string() })).default([]),
});

interface Setup {
  root: string;
  workspace: string;
  service: PermissionService;
  handle: PermissionGoalHandle;
  events: DriverEvent[];
  stores: PermissionTestStores;
  mcpConfig: string;
  /** Sets the test's operator: called for each permission_requested event. */
  answerWith(operator: (event: Extract<DriverEvent, { kind: 'permission_requested' }>) => void): void;
}

async function setup(): Promise<Setup> {
  const root = mkdtempSync(join(tmpdir(), 'perm-cli-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const workspace = join(root, 'ws');
  mkdirSync(workspace);
  await execa('git', ['init', '-q'], { cwd: workspace });
  const events: DriverEvent[] = [];
  const stores = permissionTestStores();
  cleanups.push(() => stores.close());
  const hooks: { operator: (event: Extract<DriverEvent, { kind: 'permission_requested' }>) => void } = {
    operator: () => undefined,
  };
  const service = createPermissionService({
    runtimeDir: join(root, 'run'),
    bridge: sourceBridgeCommand(),
    stores,
    events: {
      publish(event) {
        events.push(event);
        if (event.kind === 'permission_requested') hooks.operator(event);
      },
    },
  });
  await service.start();
  cleanups.push(() => service.close());
  const goal = testGoal({ description: 'write files', repoPath: workspace, inPlace: true });
  stores.addGoal(goal.id, goal.repoPath);
  const handle = service.openGoal(goal, inPlaceWorkspace(goal));
  // Written by the driver's own writer, outside the workspace as the driver keeps it (goalsDir).
  const mcpConfig = await writeMcpConfig(join(root, 'goals'), goal.id, handle.mcpServer);
  return {
    root,
    workspace,
    service,
    handle,
    events,
    stores,
    mcpConfig,
    answerWith: (operator) => {
      hooks.operator = operator;
    },
  };
}

/** Claude's argv as the driver builds it (the same permission tool and MCP flags). */
function claudeArgs(prompt: string, mcpConfigPath: string): string[] {
  return buildClaudeArgs({
    prompt,
    resumeSessionId: null,
    mcpConfigPath,
    permissionPromptTool: PERMISSION_PROMPT_TOOL,
    model: null,
    settingSources: 'user',
    extraArgs: [],
  });
}

async function fakeModel(steps: Parameters<typeof scriptSteps>[0]): Promise<FakeModel> {
  const model = await startFakeModel(scriptSteps(steps));
  cleanups.push(() => model.close());
  return model;
}

async function runClaude(s: Setup, model: FakeModel) {
  const run = await execa(claudeBin, claudeArgs('write the files', s.mcpConfig), {
    cwd: s.workspace,
    // Claude's environment as the driver gives it (it waits for a slow-starting bridge); no deadline
    // of our own: on a busy machine the run is slow, not wrong (the test's own timeout bounds it).
    env: claudeEnvironment(claudeEnv({ baseUrl: model.url, configDir: join(s.root, 'claude-config') })),
    stdin: 'ignore',
    reject: false,
  });
  const lines = run.stdout.split('\n').filter((line) => line.trim().startsWith('{'));
  for (const line of lines) {
    const parsed = resultLineSchema.safeParse(JSON.parse(line));
    if (parsed.success) return parsed.data;
  }
  throw new Error(`no result line; exit ${String(run.exitCode)}; stderr: ${run.stderr}`);
}

const writeStep = (path: string, content: string) => ({
  toolUses: [{ name: 'Write', input: { file_path: path, content } }],
});

describe('permission path with the real Claude Code CLI', { timeout: 300_000 }, () => {
  it('an allowed Write runs: the file exists', async () => {
    const s = await setup();
    s.answerWith((event) => s.service.allowOnce(event.request.id));
    const target = join(s.workspace, 'allowed.txt');
    const model = await fakeModel([writeStep(target, 'allowed content\n')]);
    const result = await runClaude(s, model);
    expect(result).toMatchObject({ subtype: 'success', is_error: false, permission_denials: [] });
    expect(readFileSync(target, 'utf8')).toBe('allowed content\n');
    const requested = s.events.filter((e) => e.kind === 'permission_requested');
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ request: { toolName: 'Write', input: { file_path: target } } });
  });

  it('a denied Write does not run, and the model receives our message in the tool result', async () => {
    const s = await setup();
    const message = 'Overseer operator: do not create denied.txt, put it in notes/ instead.';
    s.answerWith((event) => s.service.deny(event.request.id, message));
    const target = join(s.workspace, 'denied.txt');
    const model = await fakeModel([writeStep(target, 'nope\n')]);
    const result = await runClaude(s, model);
    expect(existsSync(target)).toBe(false);
    expect(result.permission_denials.map((d) => d.tool_name)).toEqual(['Write']);
    const toolResult = model.requests[1]?.lastToolResults[0];
    expect(toolResult).toMatchObject({ isError: true });
    expect(toolResult?.content).toContain(message);
    expect(s.stores.all()[0]).toMatchObject({
      status: 'decided',
      decidedBy: { kind: 'operator' },
      decision: { behavior: 'deny', message },
    });
  });

  it('an input edited by the operator is what runs', async () => {
    const s = await setup();
    const target = join(s.workspace, 'edited.txt');
    s.answerWith((event) =>
      s.service.allowWithEdit(event.request.id, { ...event.request.input, content: 'the operator wrote this\n' }),
    );
    const model = await fakeModel([writeStep(target, 'claude wrote this\n')]);
    await runClaude(s, model);
    expect(readFileSync(target, 'utf8')).toBe('the operator wrote this\n');
    expect(s.stores.all()[0]?.decision).toMatchObject({
      behavior: 'allow',
      updatedInput: { content: 'the operator wrote this\n' },
    });
  });

  it('deny and stop ends the turn', async () => {
    const s = await setup();
    s.answerWith((event) => s.service.denyAndStop(event.request.id, 'stop right there'));
    const target = join(s.workspace, 'stopped.txt');
    const model = await fakeModel([writeStep(target, 'x\n'), { text: 'should never be asked' }]);
    const result = await runClaude(s, model);
    expect(existsSync(target)).toBe(false);
    expect(result).toMatchObject({ subtype: 'error_during_execution' });
    expect(model.requests).toHaveLength(1);
  });

  it('a stored rule ("always allow") allows the second request without asking the operator', async () => {
    const s = await setup();
    let asked = 0;
    s.answerWith((event) => {
      asked++;
      s.service.alwaysAllow(event.request.id, { scope: 'goal', pattern: 'out/*.txt' });
    });
    const first = join(s.workspace, 'out', 'first.txt');
    const second = join(s.workspace, 'out', 'second.txt');
    const model = await fakeModel([writeStep(first, 'one\n'), writeStep(second, 'two\n')]);
    await runClaude(s, model);
    expect(readFileSync(first, 'utf8')).toBe('one\n');
    expect(readFileSync(second, 'utf8')).toBe('two\n');
    expect(asked).toBe(1);
    const decided = s.events.filter(
      (e): e is Extract<DriverEvent, { kind: 'permission_decided' }> => e.kind === 'permission_decided',
    );
    expect(decided.map((e) => e.decidedBy.kind)).toEqual(['rule', 'rule']);
    expect(decided[0]?.decidedBy).toEqual(decided[1]?.decidedBy);
  });

  it('the bridge denies, saying why, when the permission server is gone', async () => {
    const s = await setup();
    s.answerWith((event) => s.service.allowOnce(event.request.id));
    await s.service.close();
    const target = join(s.workspace, 'orphan.txt');
    const model = await fakeModel([writeStep(target, 'x\n')]);
    const result = await runClaude(s, model);
    expect(existsSync(target)).toBe(false);
    expect(result.permission_denials.map((d) => d.tool_name)).toEqual(['Write']);
    const toolResult = model.requests[1]?.lastToolResults[0];
    expect(toolResult?.content).toMatch(
      /Overseer could not decide on this tool call, so it was denied: the permission socket .* does not exist/,
    );
  });

  it('a host shutting down while the operator thinks denies the waiting call and stops the turn', async () => {
    const s = await setup();
    s.answerWith(() => {
      // No answer: the host shuts down instead.
      setImmediate(() => void s.service.close());
    });
    const target = join(s.workspace, 'abandoned.txt');
    const model = await fakeModel([writeStep(target, 'x\n'), { text: 'should never be asked' }]);
    const result = await runClaude(s, model);
    expect(existsSync(target)).toBe(false);
    expect(result).toMatchObject({ subtype: 'error_during_execution' });
    expect(s.stores.all()[0]).toMatchObject({
      status: 'decided',
      decision: { behavior: 'deny', interrupt: true },
      decidedBy: { kind: 'unavailable', reason: expect.stringContaining('shutting down') },
    });
  });

  it('the bridge denies, saying why, when the host dies (SIGKILL) while the operator thinks', async () => {
    const root = mkdtempSync(join(tmpdir(), 'perm-cli-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const workspace = join(root, 'ws');
    mkdirSync(workspace);
    const host = execa(process.execPath, [...tsxImportArgs(), HOST_FIXTURE, join(root, 'run'), workspace], {
      stdin: 'ignore',
      stderr: 'inherit',
      reject: false,
    });
    cleanups.push(() => {
      host.kill('SIGKILL');
    });
    const hostLines = host.iterable({ from: 'stdout' });
    const first = await hostLines.next();
    const spec = z
      .object({
        mcpServer: z.object({ command: z.string(), args: z.array(z.string()), env: z.record(z.string(), z.string()) }),
      })
      .parse(JSON.parse(String(first.value)));
    const mcpConfig = await writeMcpConfig(
      join(root, 'goals'),
      spec.mcpServer.env['OVERSEER_GOAL_ID'] ?? 'dead-host-goal',
      spec.mcpServer,
    );
    // Kill the host as soon as it has the request.
    void (async () => {
      for await (const line of hostLines) {
        if (String(line).includes('requested')) {
          host.kill('SIGKILL');
          break;
        }
      }
    })();
    const target = join(workspace, 'orphan.txt');
    const model = await fakeModel([writeStep(target, 'x\n')]);
    const run = await execa(claudeBin, claudeArgs('write the file', mcpConfig), {
      cwd: workspace,
      env: claudeEnvironment(claudeEnv({ baseUrl: model.url, configDir: join(root, 'claude-config') })),
      stdin: 'ignore',
      reject: false,
    });
    expect(run.stdout).toContain('"type":"result"');
    expect((await host).signal).toBe('SIGKILL');
    expect(existsSync(target)).toBe(false);
    expect(model.requests[1]?.lastToolResults[0]?.content).toMatch(
      /Overseer could not decide on this tool call, so it was denied: the Overseer host closed the permission connection/,
    );
  });
});
