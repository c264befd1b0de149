// Scripted fake of the Anthropic Messages API for integration tests that drive the real Claude Code CLI.
// Main-loop requests (with a `tools` array) are answered by the test's script; side requests are
// answered with a short generic text and never consume the script.
//
// Observed with Claude Code 2.1.197 here (additions to claude-code-cli.md):
// - One `-p` run against this fake takes ~0.5 s (a 529 retry adds ~0.6 s of backoff).
// - In -p and stream-json-input modes (text, Write, Bash, thinking, --resume, 195k-token usage) the CLI
//   sent NO side requests and never called count_tokens: only HEAD / then POST /v1/messages?beta=true.
//   Every request was `stream: true`. `--tools ""` still sends `tools: []` (so it counts as main-loop).
// - Default model in requests is `claude-opus-4-8`; with it, messages[1] is a `role: "system"` message
//   (agent types/skills list) after the first user message. The first user message starts with a
//   `<system-reminder>` text block (currentDate context) before the prompt block, so lastUserText
//   contains more than the prompt: match with `toContain`.
// - The CLI emits the stream-json `assistant` line per block before message_delta, so its usage shows
//   output_tokens 1; the `result` line has the totals.
// - The CLI runs streamed tool_use blocks even when stop_reason says end_turn (stop_reason is not checked).
// - Default mode, no prompt tool: Bash `git status && touch x.txt` came back as an error tool_result
//   ("touch in '<cwd>/x.txt' was blocked ... allowed working directories: '<cwd>'"), though x.txt is in the cwd.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buildContext,
  isMainLoopRequest,
  messagesRequestBodySchema,
  messageTexts,
  systemText,
  type FakeRequestContext,
  type MessagesRequestBody,
} from './request.js';
import { buildAssistantMessage, estimateInputTokens, formatSse, streamEvents, type FakeReply } from './reply.js';

export type { FakeRequestContext, FakeToolResult, MessagesRequestBody } from './request.js';
export type { FakeReply, FakeToolUse, FakeUsage, FakeReplyExtras } from './reply.js';

export type FakeScript = (ctx: FakeRequestContext) => FakeReply | Promise<FakeReply>;

/** A request that did not go to the script (no `tools` array): titles, summaries, etc. */
export interface FakeSideRequest {
  path: string;
  body: MessagesRequestBody;
  systemText: string;
  /** What the fake model answered. */
  replyText: string;
}

export interface FakeModel {
  url: string;
  port: number;
  /** Context of every main-loop request, in arrival order (including those answered with an httpError). */
  requests: FakeRequestContext[];
  /** Extra: every side request, in arrival order. */
  sideRequests: FakeSideRequest[];
  /** Extra: method and path of every HTTP request received, in arrival order. */
  httpLog: { method: string; path: string }[];
  /** Extra: resolves with the context of main-loop request number `count` (1-based) once it has arrived. */
  waitForRequest(count: number, timeoutMs?: number): Promise<FakeRequestContext>;
  close(): Promise<void>;
}

const DEFAULT_MODEL = 'claude-sonnet-4-5';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message } });
}

function parseBody(raw: string): MessagesRequestBody | string {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return 'request body is not JSON';
  }
  const parsed = messagesRequestBodySchema.safeParse(json);
  return parsed.success ? parsed.data : `request body does not match: ${parsed.error.message}`;
}

/** A short answer to a side request; JSON when the CLI asks for JSON (e.g. session titles). */
function sideReplyText(body: MessagesRequestBody): string {
  const asked = `${systemText(body)}\n${body.messages.flatMap(messageTexts).join('\n')}`;
  if (/json/i.test(asked)) {
    if (/title/i.test(asked)) return '{"title":"Fake session","isNewTopic":false}';
    return '{}';
  }
  return 'Fake model summary.';
}

/** Timers of delayed replies; cleared by close() so a pending delay never keeps the process alive. */
type DelayTimers = Set<NodeJS.Timeout>;

function sleep(timers: DelayTimers, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      resolve();
    }, ms);
    timers.add(timer);
  });
}

async function answer(
  res: ServerResponse,
  body: MessagesRequestBody,
  reply: FakeReply,
  timers: DelayTimers,
): Promise<void> {
  if (reply.delayMs !== undefined && reply.delayMs > 0) await sleep(timers, reply.delayMs);
  if (res.destroyed) return; // the client went away (e.g. the CLI was interrupted) while we waited
  if ('httpError' in reply) {
    sendError(res, reply.httpError.status, reply.httpError.type, reply.httpError.message);
    return;
  }
  const message = buildAssistantMessage(reply, body.model ?? DEFAULT_MODEL, body.messages.length);
  if (body.stream !== true) {
    sendJson(res, 200, message);
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const event of streamEvents(message)) {
    if (res.destroyed) return;
    res.write(formatSse(event));
  }
  res.end();
}

export async function startFakeModel(script: FakeScript): Promise<FakeModel> {
  const requests: FakeRequestContext[] = [];
  const sideRequests: FakeSideRequest[] = [];
  const httpLog: FakeModel['httpLog'] = [];
  const timers: DelayTimers = new Set();
  const requestListeners = new Set<() => void>();

  function waitForRequest(count: number, timeoutMs = 30_000): Promise<FakeRequestContext> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const ctx = requests[count - 1];
        if (ctx === undefined) return false;
        requestListeners.delete(check);
        clearTimeout(timer);
        resolve(ctx);
        return true;
      };
      const timer = setTimeout(() => {
        requestListeners.delete(check);
        reject(
          new Error(`fake model: request ${count} did not arrive within ${timeoutMs} ms (got ${requests.length})`),
        );
      }, timeoutMs);
      requestListeners.add(check);
      check();
    });
  }

  async function handleMessages(res: ServerResponse, path: string, raw: string): Promise<void> {
    const body = parseBody(raw);
    if (typeof body === 'string') {
      sendError(res, 400, 'invalid_request_error', body);
      return;
    }
    if (!isMainLoopRequest(body)) {
      const replyText = sideReplyText(body);
      sideRequests.push({ path, body, systemText: systemText(body), replyText });
      await answer(res, body, { text: replyText }, timers);
      return;
    }
    const ctx = buildContext(requests.length, body);
    requests.push(ctx);
    for (const notify of requestListeners) notify();
    let reply: FakeReply;
    try {
      reply = await script(ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A throwing script is a test bug: a 400 ends the CLI run quickly with this message in its result.
      sendError(res, 400, 'invalid_request_error', `fake model script threw: ${message}`);
      return;
    }
    await answer(res, body, reply, timers);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    httpLog.push({ method: req.method ?? '?', path });
    const raw = await readBody(req);
    if ((req.method === 'HEAD' || req.method === 'GET') && path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(req.method === 'GET' ? 'fake anthropic api' : undefined);
      return;
    }
    if (req.method === 'POST' && path === '/v1/messages/count_tokens') {
      const body = parseBody(raw);
      const messageCount = typeof body === 'string' ? 0 : body.messages.length;
      sendJson(res, 200, { input_tokens: estimateInputTokens(messageCount) });
      return;
    }
    if (req.method === 'POST' && path === '/v1/messages') {
      await handleMessages(res, path, raw);
      return;
    }
    sendError(res, 404, 'not_found_error', `fake model: no route for ${req.method ?? '?'} ${path}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendError(res, 500, 'api_error', `fake model failure: ${message}`);
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake model: no TCP address');
  const port = (address satisfies AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    sideRequests,
    httpLog,
    waitForRequest,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
