// The terminal operator for `overseer run --permissions ask`: an EventSink that turns each
// `permission_requested` event into a prompt on the terminal with the console card's choices (allow
// once / deny with a message / deny & end turn / deny & pause goal / edit the input — for Bash, the
// command — / always allow, with a preview of what the new rule would match), one request at a time. It refuses to start without a TTY on both ends, and a
// closed terminal denies what is still waiting (fail closed).
import { createInterface, type Interface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { z } from 'zod';
import type { PermissionRequest } from '../../shared/domain/permission.js';
import type { DriverEvent } from '../../shared/events.js';
import type { EventSink } from '../driver/index.js';
import {
  PermissionRequestNotPendingError,
  type AlwaysAllow,
  type RuleDraft,
  type RulePreview,
  type RuleScopeKind,
} from './operator.js';

export class TerminalRequiredError extends Error {
  override readonly name = 'TerminalRequiredError';
  constructor() {
    super(
      '--permissions ask needs an interactive terminal (stdin and stdout must be a TTY) to ask you about each tool call; ' +
        'use --permissions rules:FILE (or another mode) when running unattended',
    );
  }
}

type TtyReadable = Readable & { isTTY?: boolean };
type TtyWritable = Writable & { isTTY?: boolean };

type Awaitable<T> = T | Promise<T>;

/**
 * The operator actions the terminal takes: the host's PermissionOperator in process, or the host's
 * commands over a connection (a request already decided elsewhere fails with
 * PermissionRequestNotPendingError either way: the first answer wins).
 */
export interface TerminalOperatorPort {
  allowOnce(requestId: string): Awaitable<void>;
  allowWithEdit(requestId: string, input: Record<string, unknown>): Awaitable<void>;
  alwaysAllow(requestId: string, options: AlwaysAllow): Awaitable<unknown>;
  draftAlwaysAllow(requestId: string, options: AlwaysAllow): Awaitable<RuleDraft>;
  previewRule(draft: RuleDraft, limit?: number): Awaitable<RulePreview>;
  deny(requestId: string, message: string): Awaitable<void>;
  denyAndStop(requestId: string, message: string): Awaitable<void>;
}

export interface TerminalOperatorOptions {
  operator: TerminalOperatorPort;
  /**
   * Pauses the goal once its turn ends (the host's goal.pause). Given, the prompt offers "deny &
   * pause goal": the goal is paused first, so the denied turn does not lead into another one.
   */
  pauseGoal?: (goalId: string) => Awaitable<unknown>;
  input?: TtyReadable;
  output?: TtyWritable;
}

export interface TerminalOperator extends EventSink {
  /** Resolves once no request is waiting for an answer (tests). */
  idle(): Promise<void>;
  /** Stops asking; requests still waiting are denied. */
  close(): void;
}

const InputObjectSchema = z.record(z.string(), z.unknown());
const CLOSED_MESSAGE = "The operator's terminal was closed, so Overseer denied this tool call.";

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text;
}

function previewLines(text: string, lines: number): string {
  const all = text.split('\n');
  const shown = all.slice(0, lines).map((line) => `    | ${clip(line, 160)}`);
  if (all.length > lines) shown.push(`    | … (${all.length - lines} more lines)`);
  return shown.join('\n');
}

/** A readable summary of the call. */
export function describeRequest(request: PermissionRequest): string {
  const input = request.input;
  const text = (key: string) => (typeof input[key] === 'string' ? input[key] : null);
  // Turns count from 1 on every line the CLI prints (the progress lines too).
  const turn = request.turnIndex === null ? '' : ` · turn ${request.turnIndex + 1}`;
  const head = `Permission request · goal ${request.goalId.slice(0, 8)}${turn} · ${request.toolName}`;
  const body: string[] = [];
  const command = text('command');
  const path = text('file_path') ?? text('notebook_path');
  if (request.toolName === 'Bash' && command !== null) {
    body.push(`  command: ${command}`);
    const description = text('description');
    if (description !== null) body.push(`  why: ${description}`);
  } else if (path !== null) {
    body.push(`  file: ${path}`);
    const content = text('content');
    const oldString = text('old_string');
    const newString = text('new_string');
    if (content !== null) body.push(`  content (${content.length} characters):`, previewLines(content, 12));
    if (oldString !== null) body.push('  replace:', previewLines(oldString, 6));
    if (newString !== null) body.push('  with:', previewLines(newString, 6));
  } else {
    body.push(`  input: ${clip(JSON.stringify(input, null, 2), 2000)}`);
  }
  return [head, ...body].join('\n');
}

function describeDraft(draft: RuleDraft): string {
  const where =
    draft.scope.kind === 'goal'
      ? 'in this goal'
      : draft.scope.kind === 'repository'
        ? `in ${draft.scope.repoPath}`
        : 'everywhere';
  return `allow ${draft.tool}${draft.pattern === null ? ' (any call)' : ` matching "${draft.pattern}"`} ${where}`;
}

export function createTerminalOperator(options: TerminalOperatorOptions): TerminalOperator {
  const input: TtyReadable = options.input ?? process.stdin;
  const output: TtyWritable = options.output ?? process.stdout;
  if (input.isTTY !== true || output.isTTY !== true) throw new TerminalRequiredError();
  const operator = options.operator;
  const pauseGoal = options.pauseGoal ?? null;
  const choices = [
    '[a]llow once',
    '[d]eny',
    '[s] deny & end turn',
    ...(pauseGoal !== null ? ['[p] deny & pause goal'] : []),
    '[e]dit then allow',
    '[r]emember (always allow)',
  ].join(', ');
  const rl: Interface = createInterface({ input, output, terminal: false });
  const queue: PermissionRequest[] = [];
  /** `answering`: our own operator call is under way (its decision event is not news). */
  let current: { request: PermissionRequest; abort: AbortController; answering: boolean } | null = null;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  rl.on('close', () => shutDown());

  const say = (text: string) => output.write(`${text}\n`);

  function ask(question: string, signal: AbortSignal): Promise<string> {
    return rl.question(question, { signal }).then((answer) => answer.trim());
  }

  function settleIdle(): void {
    if (current !== null || queue.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function denyQuietly(requestId: string, message: string): void {
    // Fail closed without waiting; a request decided meanwhile (elsewhere) needs nothing more.
    void (async () => operator.deny(requestId, message))().catch((error: unknown) => {
      if (!(error instanceof PermissionRequestNotPendingError))
        say(`  Could not deny ${requestId}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  function shutDown(): void {
    if (closed) return;
    closed = true;
    const waiting = [...queue];
    queue.length = 0;
    if (current !== null) {
      current.abort.abort();
      waiting.unshift(current.request);
    }
    for (const request of waiting) denyQuietly(request.id, CLOSED_MESSAGE);
    rl.close();
    current = null;
    settleIdle();
  }

  async function askEdit(request: PermissionRequest, signal: AbortSignal): Promise<Record<string, unknown> | null> {
    if (request.toolName === 'Bash' && typeof request.input['command'] === 'string') {
      const command = await ask('New command (Enter keeps it): ', signal);
      return command === '' ? null : { ...request.input, command };
    }
    for (;;) {
      const line = await ask('New input as one line of JSON (Enter keeps it): ', signal);
      if (line === '') return null;
      try {
        const parsed = InputObjectSchema.safeParse(JSON.parse(line));
        if (parsed.success) return parsed.data;
        say('  That is not a JSON object; try again.');
      } catch (error) {
        say(`  Not valid JSON (${error instanceof Error ? error.message : String(error)}); try again.`);
      }
    }
  }

  /** Returns true when the rule was saved (the request is then decided). */
  async function askAlwaysAllow(request: PermissionRequest, signal: AbortSignal): Promise<boolean> {
    const patternAnswer = await ask(
      'Pattern: Enter = exactly this call, "any" = any call of this tool, or a glob (e.g. git status*): ',
      signal,
    );
    const pattern = patternAnswer === '' ? undefined : patternAnswer.toLowerCase() === 'any' ? null : patternAnswer;
    const scopeAnswer = (await ask('Scope: [g]oal (default), [r]epository, [e]verywhere: ', signal)).toLowerCase();
    const scope: RuleScopeKind = scopeAnswer.startsWith('r')
      ? 'repository'
      : scopeAnswer.startsWith('e')
        ? 'everywhere'
        : 'goal';
    const draft = await operator.draftAlwaysAllow(request.id, { scope, pattern });
    const preview = await operator.previewRule(draft, 5);
    say(`  Rule: ${describeDraft(draft)}`);
    say(
      `  It matches ${preview.pendingCount} pending and ${preview.pastCount} earlier request(s)${preview.matches.length > 0 ? ', e.g.:' : '.'}`,
    );
    for (const record of preview.matches) {
      const summary = describeRequest(record.request).split('\n').slice(1, 2).join('').trim();
      say(`    - [${record.status}] ${record.request.toolName} ${clip(summary, 120)}`);
    }
    const confirm = (await ask('Save this rule and allow? [y/N]: ', signal)).toLowerCase();
    if (!confirm.startsWith('y')) return false;
    await act(() => operator.alwaysAllow(request.id, { scope, pattern }));
    return true;
  }

  /** Runs our own decision on the current request. */
  async function act(apply: () => Awaitable<unknown>): Promise<void> {
    if (current !== null) current.answering = true;
    await apply();
  }

  async function handle(request: PermissionRequest, signal: AbortSignal): Promise<void> {
    say('');
    say(describeRequest(request));
    for (;;) {
      const choice = (await ask(`${choices}: `, signal)).toLowerCase();
      switch (choice.slice(0, 1)) {
        case 'a':
          await act(() => operator.allowOnce(request.id));
          return;
        case 'd': {
          const message = await ask('Message for Claude (Enter for a default): ', signal);
          await act(() => operator.deny(request.id, message));
          return;
        }
        case 's': {
          const message = await ask('Message (Enter for a default): ', signal);
          await act(() => operator.denyAndStop(request.id, message));
          return;
        }
        case 'p': {
          if (pauseGoal === null) {
            say('  Pausing is not available here; answer a, d, s, e or r.');
            continue;
          }
          const message = await ask('Message (Enter for a default): ', signal);
          // Paused first: the goal stops after this turn, which the deny then ends.
          await act(async () => {
            await pauseGoal(request.goalId);
            await operator.denyAndStop(request.id, message);
          });
          say('  Goal paused: `overseer resume` (or Resume in the console) continues it.');
          return;
        }
        case 'e': {
          const edited = await askEdit(request, signal);
          if (edited === null) {
            say('  Input unchanged.');
            continue;
          }
          await act(() => operator.allowWithEdit(request.id, edited));
          return;
        }
        case 'r':
          if (await askAlwaysAllow(request, signal)) return;
          continue;
        default:
          say(`  Please answer ${pauseGoal !== null ? 'a, d, s, p, e or r' : 'a, d, s, e or r'}.`);
      }
    }
  }

  async function pump(): Promise<void> {
    while (!closed && current === null) {
      const request = queue.shift();
      if (request === undefined) break;
      const abort = new AbortController();
      current = { request, abort, answering: false };
      try {
        await handle(request, abort.signal);
      } catch (error) {
        if (error instanceof PermissionRequestNotPendingError) say('  (That request was already decided.)');
        else if (!abort.signal.aborted && !closed)
          say(`  Could not apply that: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        current = null;
      }
    }
    settleIdle();
  }

  return {
    publish(event: DriverEvent): void {
      if (closed) {
        if (event.kind === 'permission_requested') denyQuietly(event.request.id, CLOSED_MESSAGE);
        return;
      }
      if (event.kind === 'permission_requested') {
        queue.push(event.request);
        void pump();
        return;
      }
      if (event.kind === 'permission_decided') {
        const queued = queue.findIndex((request) => request.id === event.requestId);
        if (queued !== -1) queue.splice(queued, 1);
        if (
          current !== null &&
          current.request.id === event.requestId &&
          !current.answering &&
          !current.abort.signal.aborted
        ) {
          say(`\n  (Decided elsewhere: ${event.decision.behavior} by ${event.decidedBy.kind}.)`);
          current.abort.abort();
        }
        settleIdle();
      }
    },
    idle(): Promise<void> {
      if (current === null && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    close: shutDown,
  };
}
