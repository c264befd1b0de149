// Proves the scripted fake Anthropic API against the REAL Claude Code CLI: text replies, tool use,
// HTTP errors, retries and resumed sessions, judged by the CLI's stream-json output lines.
import { execa } from 'execa';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { claudeBin, claudeEnv, scriptSteps } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel, type FakeScript } from '../../fake-model/server.js';

const streamLineSchema = z.looseObject({ type: z.string(), subtype: z.string().optional() });
const resultLineSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  result: z.string().optional(),
  session_id: z.string(),
});
type StreamLine = z.infer<typeof streamLineSchema>;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function fakeModel(script: FakeScript): Promise<FakeModel> {
  const model = await startFakeModel(script);
  cleanups.push(() => model.close());
  return model;
}

interface Workspace {
  cwd: string;
  configDir: string;
}

async function workspace(): Promise<Workspace> {
  const cwd = await tempDir('fake-model-cwd-');
  await execa('git', ['init', '-q'], { cwd });
  return { cwd, configDir: await tempDir('fake-model-config-') };
}

interface CliRun {
  lines: StreamLine[];
  result: z.infer<typeof resultLineSchema>;
  exitCode: number | undefined;
}

async function runClaude(model: FakeModel, ws: Workspace, prompt: string, extraArgs: string[] = []): Promise<CliRun> {
  const run = await execa(claudeBin, ['-p', prompt, '--output-format', 'stream-json', '--verbose', ...extraArgs], {
    cwd: ws.cwd,
    env: claudeEnv({ baseUrl: model.url, configDir: ws.configDir }),
    stdin: 'ignore',
    reject: false,
    timeout: 45_000,
  });
  const lines = run.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => streamLineSchema.parse(JSON.parse(line)));
  const resultLine = lines.find((line) => line.type === 'result');
  if (resultLine === undefined) throw new Error(`no result line; exit ${String(run.exitCode)}; stderr: ${run.stderr}`);
  return { lines, result: resultLineSchema.parse(resultLine), exitCode: run.exitCode };
}

describe('fake model driven by the real Claude Code CLI', () => {
  it('answers a plain text reply that becomes the result', async () => {
    const model = await fakeModel(scriptSteps([{ text: 'Hello from the fake model' }]));
    const run = await runClaude(model, await workspace(), 'say hello');

    expect(run.result).toMatchObject({ subtype: 'success', is_error: false, result: 'Hello from the fake model' });
    expect(model.requests).toHaveLength(1);
    expect(model.requests[0]?.lastUserText).toContain('say hello');
    expect(model.httpLog).toContainEqual({ method: 'HEAD', path: '/' });
  });

  it('runs a Write tool_use and hands its result to the next request', async () => {
    const model = await fakeModel(
      scriptSteps([
        {
          text: 'Writing it.',
          toolUses: [{ name: 'Write', input: { file_path: 'notes/hello.txt', content: 'hi there\n' } }],
        },
        (ctx) => ({ text: `saw ${ctx.lastToolResults.length} result(s)` }),
      ]),
    );
    const ws = await workspace();
    const run = await runClaude(model, ws, 'write the file', ['--permission-mode', 'acceptEdits']);

    expect(run.result).toMatchObject({ subtype: 'success', is_error: false, result: 'saw 1 result(s)' });
    expect(await readFile(join(ws.cwd, 'notes/hello.txt'), 'utf8')).toBe('hi there\n');
    const toolResults = model.requests[1]?.lastToolResults ?? [];
    expect(toolResults).toHaveLength(1);
    expect(toolResults[0]?.toolUseId).toMatch(/^toolu_/);
    expect(toolResults[0]?.isError).toBe(false);
    expect(toolResults[0]?.content).toContain('created successfully');
  });

  it('runs parallel tool_use blocks and returns one tool_result per block', async () => {
    const model = await fakeModel(
      scriptSteps([
        {
          toolUses: [
            { name: 'Write', input: { file_path: 'one.txt', content: '1\n' } },
            { name: 'Write', input: { file_path: 'two.txt', content: '2\n' } },
          ],
        },
      ]),
    );
    const ws = await workspace();
    const run = await runClaude(model, ws, 'write both', ['--permission-mode', 'acceptEdits']);

    expect(run.result).toMatchObject({ is_error: false, result: 'done' });
    expect(await readFile(join(ws.cwd, 'two.txt'), 'utf8')).toBe('2\n');
    expect(model.requests[1]?.lastToolResults.map((result) => result.isError)).toEqual([false, false]);
  });

  it('turns a 400 httpError into an error result', async () => {
    const model = await fakeModel(
      scriptSteps([{ httpError: { status: 400, type: 'invalid_request_error', message: 'scripted bad request' } }]),
    );
    const run = await runClaude(model, await workspace(), 'fail please');

    expect(run.result.is_error).toBe(true);
    expect(run.result.result).toContain('400');
    expect(run.result.result).toContain('scripted bad request');
    expect(run.exitCode).toBe(1);
  });

  it('retries after a 529 overloaded error and then succeeds', async () => {
    const model = await fakeModel(
      scriptSteps([
        { httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded' } },
        { text: 'recovered' },
      ]),
    );
    const run = await runClaude(model, await workspace(), 'try again');

    const retries = run.lines.filter((line) => line.type === 'system' && line.subtype === 'api_retry');
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(run.result).toMatchObject({ subtype: 'success', is_error: false, result: 'recovered' });
    expect(model.requests).toHaveLength(2);
  });

  it('resends the first run history on --resume', async () => {
    const model = await fakeModel((ctx) => ({ text: `reply number ${ctx.index}` }));
    const ws = await workspace();
    const first = await runClaude(model, ws, 'first prompt alpha-7731');
    expect(first.result).toMatchObject({ is_error: false, result: 'reply number 0' });

    const second = await runClaude(model, ws, 'second prompt beta-4410', ['--resume', first.result.session_id]);

    expect(second.result).toMatchObject({
      is_error: false,
      result: 'reply number 1',
      session_id: first.result.session_id,
    });
    const resumed = model.requests[1];
    expect(resumed?.lastUserText).toContain('second prompt beta-4410');
    expect(resumed?.allUserText).toContain('first prompt alpha-7731');
    expect(JSON.stringify(resumed?.body.messages)).toContain('reply number 0');
  });
});
