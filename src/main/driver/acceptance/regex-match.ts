// Matching an acceptance regex against text an agent produced (a command's stdout, a file) off the
// host's event loop. JavaScript regexes backtrack: a pattern such as `^(a+)+$` on a long run of `a`s
// can take minutes, and on the main thread that would freeze the whole host (UI, permission server,
// every other goal). Each match runs in a short-lived worker thread with a time limit; when the limit
// passes the worker is terminated (V8 interrupts the running regex) and the match reports a timeout.
import { Worker } from 'node:worker_threads';
import { compilePattern } from '../../../shared/domain/acceptance-rules.js';

export type RegexMatchResult =
  | { kind: 'matched' }
  | { kind: 'not_matched' }
  | { kind: 'timeout'; limitMs: number }
  | { kind: 'invalid'; error: string }
  | { kind: 'error'; error: string };

/** Default time one match may take once its worker runs. */
export const DEFAULT_REGEX_TIME_LIMIT_MS = 5000;
/** How long a worker may take to start before the match is given up (a very busy machine). */
const WORKER_START_LIMIT_MS = 60_000;

// Plain CommonJS evaluated in the worker, so it works the same from sources (tests) and from the bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const pattern = new RegExp(workerData.source, workerData.flags);
parentPort.postMessage({ type: 'started' });
parentPort.postMessage({ type: 'result', matched: pattern.test(workerData.text) });
`;

const MessageShape = {
  started: (value: unknown): boolean => isRecord(value) && value['type'] === 'started',
  result: (value: unknown): value is { type: 'result'; matched: boolean } =>
    isRecord(value) && value['type'] === 'result' && typeof value['matched'] === 'boolean',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Tests `pattern` (inline flags at its start allowed, see compilePattern) against `text` in a worker.
 * The time limit counts from when the worker starts matching, so a slow worker start on a loaded
 * machine does not eat into it.
 */
export function matchInWorker(
  pattern: string,
  text: string,
  options: { timeLimitMs?: number; signal?: AbortSignal } = {},
): Promise<RegexMatchResult> {
  const compiled = compilePattern(pattern);
  if (!compiled.ok) return Promise.resolve({ kind: 'invalid', error: compiled.error });
  const limitMs = options.timeLimitMs ?? DEFAULT_REGEX_TIME_LIMIT_MS;
  return new Promise((resolve) => {
    let settled = false;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { source: compiled.source, flags: compiled.flags, text },
      });
    } catch (error) {
      resolve({
        kind: 'error',
        error: `could not start a regex worker: ${error instanceof Error ? error.message : String(error)}`,
      });
      return;
    }
    const finish = (result: RegexMatchResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      void worker.terminate().catch(() => undefined);
      resolve(result);
    };
    let timer = setTimeout(
      () => finish({ kind: 'error', error: `the regex worker did not start within ${WORKER_START_LIMIT_MS / 1000}s` }),
      WORKER_START_LIMIT_MS,
    );
    const onAbort = (): void => finish({ kind: 'error', error: 'cancelled' });
    if (options.signal?.aborted === true) {
      onAbort();
      return;
    }
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (message: unknown) => {
      if (MessageShape.started(message)) {
        clearTimeout(timer);
        timer = setTimeout(() => finish({ kind: 'timeout', limitMs }), limitMs);
      } else if (MessageShape.result(message)) {
        finish({ kind: message.matched ? 'matched' : 'not_matched' });
      }
    });
    worker.on('error', (error) => finish({ kind: 'error', error: `regex worker failed: ${error.message}` }));
    worker.on('exit', (code) =>
      finish({ kind: 'error', error: `regex worker exited (code ${code}) without an answer` }),
    );
  });
}

/**
 * The failure message for a match that did not give a yes/no, or null when it did. `what` names the
 * regex in the message ('' for a file's regex, 'stdout' for a command's).
 */
export function regexProblem(result: RegexMatchResult, pattern: string, what: string): string | null {
  const name = what === '' ? 'regex' : `${what} regex`;
  switch (result.kind) {
    case 'matched':
    case 'not_matched':
      return null;
    case 'timeout':
      return `${name} ${pattern} timed out after ${formatLimit(result.limitMs)} (the pattern backtracks too much on this text; simplify it)`;
    case 'invalid':
      return `invalid ${name} ${pattern}: ${result.error}`;
    case 'error':
      return `${name} ${pattern} could not be checked: ${result.error}`;
  }
}

function formatLimit(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms} ms`;
}
