// A Chromium the bench drives without Playwright, for figures Playwright's own instrumentation would
// change. Playwright turns on DevTools' Network domain in every page it drives, and Chromium then
// copies every WebSocket frame, whole, into a DevTools message for the driver. The timeline's older
// pages are 3 MB frames, so under Playwright the page's thread spends about as long copying them as
// it spends on everything else (measured on 30 November 2026: paging a 100k history in took 5.7–6.4 s
// under Playwright, 3.3–3.9 s in a Chromium nothing instruments, with the same loop in the page).
// The operator's browser does not do that copying.
//
// Here Chromium is started by the bench with a DevTools port in a fresh profile, and the bench speaks
// the DevTools protocol itself over one connection to the page. It only calls Runtime.evaluate, which
// needs no domain enabled, so Chromium reports nothing and copies nothing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { z } from 'zod';

/** How long Chromium may take to start and show the page (a loaded machine is slow, not broken). */
const START_BUDGET_MS = 120_000;

export interface PlainPage {
  /** Evaluates `expression` in the page (awaiting a promise it returns); returns its JSON value. */
  evaluate(expression: string): Promise<unknown>;
  close(): Promise<void>;
}

const TargetsSchema = z.array(z.object({ type: z.string(), webSocketDebuggerUrl: z.string().optional() }));
const AnswerSchema = z.object({
  id: z.number(),
  result: z
    .object({
      result: z.object({ value: z.unknown().optional() }),
      exceptionDetails: z
        .object({ text: z.string(), exception: z.object({ description: z.string() }).optional() })
        .optional(),
    })
    .optional(),
  error: z.object({ message: z.string() }).optional(),
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `read` to give a value (polling), or throws once the start budget is spent. */
async function waitFor<T>(what: string, read: () => Promise<T | null>, gone: () => string | null): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== null) return value;
    const exit = gone();
    if (exit !== null) throw new Error(`Chromium exited (${exit}) before it gave a ${what}`);
    if (Date.now() - started > START_BUDGET_MS) throw new Error(`Chromium did not start: no ${what}`);
    await sleep(50);
  }
}

/** Starts Chromium on `url` in a fresh profile (no cache, no state) and connects to its page. */
export async function openPlainPage(chromium: string, url: string, args: readonly string[]): Promise<PlainPage> {
  const profile = mkdtempSync(join(tmpdir(), 'overseer-bench-chromium-'));
  const child = spawn(
    chromium,
    [...args, '--headless', '--window-size=1400,900', '--remote-debugging-port=0', `--user-data-dir=${profile}`, url],
    // Its own process group, so stopping it stops its renderer and helper processes too.
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
  );
  // The end of what Chromium said on stderr, to explain a start that failed.
  let said = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString()).slice(-2000);
  });
  let exitedWith: string | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = `${signal ?? String(code)}; it said: ${said.trim().split('\n').slice(-3).join(' | ')}`;
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    await exited;
    // Its helper processes may still be writing their last files as the browser process exits.
    rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  };
  try {
    // Chromium writes the port it chose into the profile.
    const portFile = join(profile, 'DevToolsActivePort');
    const port = await waitFor(
      'DevTools port',
      async () => (existsSync(portFile) ? (readFileSync(portFile, 'utf8').split('\n')[0] ?? '').trim() || null : null),
      () => exitedWith,
    );
    const pageUrl = await waitFor(
      'page target',
      async () => {
        const listed = await fetch(`http://127.0.0.1:${port}/json/list`)
          .then(async (response) => TargetsSchema.parse(await response.json()))
          .catch(() => []);
        return listed.find((target) => target.type === 'page')?.webSocketDebuggerUrl ?? null;
      },
      () => exitedWith,
    );
    const socket = new WebSocket(pageUrl, { maxPayload: 256 * 1024 * 1024 });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    let nextId = 1;
    type Answer = z.infer<typeof AnswerSchema>;
    const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (error: Error) => void }>();
    socket.on('message', (data) => {
      let json: unknown;
      try {
        json = JSON.parse(String(data));
      } catch {
        return; // not a DevTools message: nothing waits for it
      }
      const answer = AnswerSchema.safeParse(json);
      if (!answer.success) return;
      waiting.get(answer.data.id)?.resolve(answer.data);
      waiting.delete(answer.data.id);
    });
    // Chromium gone (crashed, or killed): what was asked fails instead of waiting for ever.
    socket.on('close', () => {
      for (const { reject } of waiting.values()) reject(new Error('the DevTools connection to Chromium closed'));
      waiting.clear();
    });
    const evaluateOnce = (expression: string): Promise<Answer> =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        socket.send(
          JSON.stringify({
            id,
            method: 'Runtime.evaluate',
            params: { expression, awaitPromise: true, returnByValue: true },
          }),
        );
      });
    return {
      async evaluate(expression) {
        // The page target is listed before its navigation to `url` commits: an evaluation started in
        // the document it leaves loses its context, and is asked again in the one it went to.
        const started = Date.now();
        for (;;) {
          const answer = await evaluateOnce(expression);
          if (
            answer.error !== undefined &&
            /context/i.test(answer.error.message) &&
            Date.now() - started < START_BUDGET_MS
          ) {
            await sleep(100);
            continue;
          }
          if (answer.error !== undefined) throw new Error(`Runtime.evaluate: ${answer.error.message}`);
          const thrown = answer.result?.exceptionDetails;
          if (thrown !== undefined) throw new Error(`in the page: ${thrown.exception?.description ?? thrown.text}`);
          return answer.result?.result.value;
        }
      },
      async close() {
        socket.close();
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
