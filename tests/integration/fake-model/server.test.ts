// HTTP-level checks of the fake Anthropic API (no CLI): SSE event shapes, non-streaming answers,
// count_tokens, side requests, error bodies, script helpers and extras (delayMs, waitForRequest).
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DONE_TEXT, scriptSteps } from '../../fake-model/claude-env.js';
import { startFakeModel, type FakeModel, type FakeScript } from '../../fake-model/server.js';

const models: FakeModel[] = [];
afterEach(async () => {
  for (const model of models.splice(0)) await model.close();
});

async function fakeModel(script: FakeScript): Promise<FakeModel> {
  const model = await startFakeModel(script);
  models.push(model);
  return model;
}

const sseDataSchema = z.looseObject({ type: z.string() });
interface SseEvent {
  event: string;
  data: z.infer<typeof sseDataSchema>;
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = /^data: (.*)$/m.exec(chunk)?.[1] ?? '';
      return { event, data: sseDataSchema.parse(JSON.parse(data)) };
    });
}

/** The text of all text_delta events, reassembled. */
function streamedText(events: SseEvent[]): string {
  const delta = z.object({ delta: z.object({ type: z.literal('text_delta'), text: z.string() }) });
  return events
    .map((event) => delta.safeParse(event.data))
    .flatMap((parsed) => (parsed.success ? [parsed.data.delta.text] : []))
    .join('');
}

async function streamedReply(model: FakeModel): Promise<string> {
  return streamedText(parseSse(await (await post(model, '/v1/messages', mainBody())).text()));
}

const mainBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: 'claude-test',
  stream: true,
  tools: [{ name: 'Write', input_schema: {} }],
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
  ...extra,
});

function post(model: FakeModel, path: string, body: unknown): Promise<Response> {
  return fetch(`${model.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('fake model HTTP API', () => {
  it('answers HEAD / and GET / with 200', async () => {
    const model = await fakeModel(scriptSteps([]));
    expect((await fetch(`${model.url}/`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${model.url}/`)).status).toBe(200);
  });

  it('streams text and tool_use blocks as Anthropic SSE events', async () => {
    const model = await fakeModel(
      scriptSteps([
        { text: 'Working on it', toolUses: [{ name: 'Write', input: { file_path: 'a.txt', content: 'x' } }] },
      ]),
    );
    const response = await post(model, '/v1/messages?beta=true', mainBody());
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = parseSse(await response.text());

    for (const event of events) expect(event.data.type).toBe(event.event);
    expect(events.map((event) => event.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const start = z.object({
      message: z.looseObject({
        id: z.string(),
        model: z.string(),
        role: z.literal('assistant'),
        content: z.array(z.unknown()),
      }),
    });
    expect(start.parse(events[0]?.data).message).toMatchObject({ model: 'claude-test', content: [] });
    expect(streamedText(events)).toBe('Working on it');
    const jsonDelta = z.object({ delta: z.object({ type: z.literal('input_json_delta'), partial_json: z.string() }) });
    const json = events
      .map((event) => jsonDelta.safeParse(event.data))
      .flatMap((d) => (d.success ? [d.data.delta.partial_json] : []));
    expect(JSON.parse(json.join(''))).toEqual({ file_path: 'a.txt', content: 'x' });
    const toolStart = z
      .object({ content_block: z.object({ type: z.literal('tool_use'), id: z.string() }) })
      .parse(events[5]?.data);
    expect(toolStart.content_block.id).toMatch(/^toolu_/);
    const delta = z.object({
      delta: z.object({ stop_reason: z.string() }),
      usage: z.object({ output_tokens: z.number() }),
    });
    const messageDelta = delta.parse(events[10]?.data);
    expect(messageDelta.delta.stop_reason).toBe('tool_use');
    expect(messageDelta.usage.output_tokens).toBeGreaterThan(0);
  });

  it('gives every tool_use a distinct id unless one is scripted', async () => {
    const model = await fakeModel(
      scriptSteps([
        {
          toolUses: [
            { name: 'Read', input: {} },
            { name: 'Read', input: {} },
            { name: 'Read', input: {}, id: 'toolu_fixed' },
          ],
        },
      ]),
    );
    const message = z
      .object({ content: z.array(z.object({ id: z.string() })), stop_reason: z.string() })
      .parse(await (await post(model, '/v1/messages', mainBody({ stream: false }))).json());
    const ids = message.content.map((block) => block.id);
    expect(new Set(ids).size).toBe(3);
    expect(ids[2]).toBe('toolu_fixed');
    expect(message.stop_reason).toBe('tool_use');
  });

  it('answers non-streaming requests with a JSON message and realistic usage', async () => {
    const model = await fakeModel(scriptSteps([{ text: 'plain' }]));
    const message = z
      .looseObject({
        type: z.literal('message'),
        content: z.array(z.unknown()),
        stop_reason: z.string(),
        usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
      })
      .parse(await (await post(model, '/v1/messages', mainBody({ stream: false }))).json());
    expect(message.content).toEqual([{ type: 'text', text: 'plain' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage.input_tokens).toBeGreaterThanOrEqual(100);
    expect(message.usage.input_tokens).toBeLessThan(1000);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.usage.output_tokens).toBeLessThan(100);
  });

  it('answers count_tokens', async () => {
    const model = await fakeModel(scriptSteps([]));
    const counted = z
      .object({ input_tokens: z.number() })
      .parse(await (await post(model, '/v1/messages/count_tokens', mainBody())).json());
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(model.requests).toHaveLength(0);
  });

  it('answers side requests without consuming the script', async () => {
    const model = await fakeModel(scriptSteps([{ text: 'scripted' }]));
    const side = await post(model, '/v1/messages', {
      model: 'claude-haiku',
      system: 'Generate a title. Respond with JSON {"title": string}',
      messages: [{ role: 'user', content: 'the conversation' }],
    });
    const sideMessage = z
      .object({ content: z.array(z.object({ type: z.literal('text'), text: z.string() })) })
      .parse(await side.json());
    expect(z.object({ title: z.string() }).safeParse(JSON.parse(sideMessage.content[0]?.text ?? '')).success).toBe(
      true,
    );
    expect(model.sideRequests).toHaveLength(1);
    expect(model.requests).toHaveLength(0);

    expect(await streamedReply(model)).toBe('scripted');
    expect(model.requests).toHaveLength(1);
  });

  it('answers httpError steps with an Anthropic error body, then the next step', async () => {
    const model = await fakeModel(
      scriptSteps([{ httpError: { status: 529, type: 'overloaded_error', message: 'Overloaded' } }, { text: 'ok' }]),
    );
    const failed = await post(model, '/v1/messages', mainBody());
    expect(failed.status).toBe(529);
    expect(await failed.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(await streamedReply(model)).toBe('ok');
    expect(await streamedReply(model)).toBe(DONE_TEXT);
    expect(model.requests.map((ctx) => ctx.index)).toEqual([0, 1, 2]);
  });

  it('builds the script context from the request messages', async () => {
    const model = await fakeModel(scriptSteps([]));
    await post(
      model,
      '/v1/messages',
      mainBody({
        messages: [
          { role: 'user', content: 'first question' },
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Read', input: {} }] },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'file body' }] },
              { type: 'tool_result', tool_use_id: 'toolu_2', content: 'denied', is_error: true },
              { type: 'text', text: 'follow-up' },
            ],
          },
        ],
      }),
    );
    const ctx = await model.waitForRequest(1);
    expect(ctx.lastUserText).toBe('follow-up');
    expect(ctx.allUserText).toBe('first question\nfollow-up');
    expect(ctx.lastToolResults).toEqual([
      { toolUseId: 'toolu_1', content: 'file body', isError: false },
      { toolUseId: 'toolu_2', content: 'denied', isError: true },
    ]);
  });

  it('reports a throwing script as a 400 naming the failure', async () => {
    const model = await fakeModel(() => {
      throw new Error('no step for this');
    });
    const response = await post(model, '/v1/messages', mainBody());
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('no step for this');
  });

  it('holds a delayed reply until its delay passes and close() does not wait for it', async () => {
    const model = await fakeModel(scriptSteps([{ text: 'late', delayMs: 60_000 }]));
    const pending = post(model, '/v1/messages', mainBody()).then(
      (response) => response.text(),
      () => 'aborted',
    );
    await model.waitForRequest(1);
    models.splice(models.indexOf(model), 1);
    await model.close();
    expect(await pending).toBe('aborted');
  });

  it('rejects a malformed body with a 400', async () => {
    const model = await fakeModel(scriptSteps([]));
    const response = await fetch(`${model.url}/v1/messages`, { method: 'POST', body: '{not json' });
    expect(response.status).toBe(400);
    expect(model.requests).toHaveLength(0);
  });
});
