// The request fuzzer (issue 9): a few thousand seeded random requests over raw TCP against a real
// `overseer serve` (the built CLI): request lines, methods, paths, percent-encodings, odd and huge
// headers, header counts, WebSocket handshakes valid and broken (with and without token/Origin),
// frames after a handshake, garbage bytes and slow partial requests, while a handful of idle
// half-sent requests stay open. Afterwards the host must still be alive, serve the page and
// answer a command over the WebSocket. The seed is fixed (OVERSEER_FUZZ_SEED to change it) and
// printed with any failure; OVERSEER_FUZZ_CASES sets the count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { builtCli, serveConsole, type ServedConsole } from '../../helpers/serve.js';
import { socketProtocols } from '../../../src/shared/socket-auth.js';
import { caseGenerator, type FuzzCase } from './fuzz-cases.js';

const SEED = Number(process.env['OVERSEER_FUZZ_SEED'] ?? 20261130);
const CASES = Number(process.env['OVERSEER_FUZZ_CASES'] ?? 3000);
const CONCURRENCY = 8;
const IDLE_HALF_REQUESTS = 16;
/** Not an assertion: a case whose connection the server keeps (a live WebSocket) is let go. */
const CASE_BOUND_MS = 15_000;

let served: ServedConsole;

beforeAll(async () => {
  if (!existsSync(builtCli)) throw new Error(`build first (npx electron-vite build): ${builtCli} is missing`);
  served = await serveConsole();
});
afterAll(async () => {
  await served?.stop();
});

function port(): number {
  return Number(new URL(served.origin).port);
}

/** Sends one case and waits until the connection is closed (by either side), bounded. */
function send(fuzz: FuzzCase): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port(), '127.0.0.1');
    const bound = setTimeout(() => socket.destroy(), CASE_BOUND_MS);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.on('close', () => {
      clearTimeout(bound);
      resolve();
    });
    socket.on('connect', () => {
      void (async () => {
        for (const chunk of fuzz.chunks) {
          if (socket.destroyed) return;
          socket.write(chunk);
          if (fuzz.pauseMs > 0) await new Promise((r) => setTimeout(r, fuzz.pauseMs));
        }
        socket.end();
      })();
    });
  });
}

/**
 * The host's open sockets (Linux /proc): what a leaked connection would leave. Other descriptors are
 * not counted: the host opens some of its own at its own time (the WAL checkpoint thread's database
 * connection and event loop start on the first write), and those are not connections.
 */
function openSockets(): number {
  const dir = `/proc/${served.process.pid}/fd`;
  let sockets = 0;
  for (const fd of readdirSync(dir)) {
    try {
      if (readlinkSync(`${dir}/${fd}`).startsWith('socket:')) sockets += 1;
    } catch {
      // closed between the listing and the read
    }
  }
  return sockets;
}

async function pageServed(): Promise<string> {
  const response = await fetch(served.url);
  return `${response.status} ${await response.text()}`;
}

function commandOverSocket(): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${served.origin.replace('http', 'ws')}/ws`, socketProtocols(served.token));
    ws.on('error', reject);
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'ping', payload: { nonce: 'after-fuzz' } })),
    );
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; id?: number };
      if (frame.type === 'result' && frame.id === 1) {
        ws.close();
        resolve(frame);
      }
    });
  });
}

describe(`browser-mode request fuzzer (seed ${SEED}, ${CASES} cases)`, () => {
  it(
    'no request stops the host: afterwards it serves the page and answers a command',
    { timeout: 900_000 },
    async () => {
      const where = (index: number, fuzz?: FuzzCase): string =>
        `seed ${SEED} (OVERSEER_FUZZ_SEED=${SEED}), case ${index}${fuzz === undefined ? '' : ` (${fuzz.kind}): ${JSON.stringify(Buffer.concat(fuzz.chunks).subarray(0, 400).toString('latin1'))}`}\n--- host output ---\n${served.output().slice(-4000)}`;

      const socketsBefore = openSockets();
      // Slow clients that never finish their request, held open through the whole run.
      const idle: Socket[] = [];
      for (let i = 0; i < IDLE_HALF_REQUESTS; i += 1) {
        const socket = connect(port(), '127.0.0.1');
        socket.on('error', () => undefined);
        socket.write(
          i % 2 === 0
            ? `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nX-Slow: `
            : `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nUpgrade: websocket\r\n`,
        );
        idle.push(socket);
      }

      const next = caseGenerator(SEED, { port: port(), token: served.token });
      const cases = Array.from({ length: CASES }, () => next());
      const kinds = new Map<string, number>();
      for (const fuzz of cases) kinds.set(fuzz.kind, (kinds.get(fuzz.kind) ?? 0) + 1);

      let cursor = 0;
      const worker = async (): Promise<void> => {
        while (cursor < cases.length) {
          const index = cursor;
          cursor += 1;
          const fuzz = cases[index] as FuzzCase;
          await send(fuzz);
          if (served.process.exitCode !== null || served.process.signalCode !== null) {
            throw new Error(
              `the host died (exit ${served.process.exitCode}, signal ${served.process.signalCode}) at ${where(index, fuzz)}`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
      for (const socket of idle) socket.destroy();

      expect(served.process.exitCode, where(cases.length)).toBeNull();
      // Nothing leaks: every connection the cases opened is closed on the host's side too (refused
      // upgrades included). Waits on the condition; refused sockets have a short grace period.
      await expect
        .poll(openSockets, { timeout: 120_000, interval: 500, message: where(cases.length) })
        .toBeLessThanOrEqual(socketsBefore + 4);
      expect(await pageServed(), where(cases.length)).toMatch(/^200 [\s\S]*<div id="root">/);
      expect(await commandOverSocket(), where(cases.length)).toMatchObject({
        type: 'result',
        ok: true,
        value: { nonce: 'after-fuzz' },
      });
      expect(served.output(), where(cases.length)).not.toMatch(/uncaught|unhandled/i);
      // Every family of cases was exercised.
      for (const kind of ['http', 'upgrade']) expect(kinds.get(kind) ?? 0).toBeGreaterThan(CASES / 5);
    },
  );
});
