// The machine's floor beside the figures: a bare Unix-socket echo of a line, and the MCP round trip's
// shape (this process → a child's stdin → the child's Unix socket to this process → back) with a bare
// relay and a bare echo in place of our code.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { FrameSplitter } from '../../src/main/permission/frames.js';

/** A bare Unix-socket echo server and a client that sends one line and waits for it back. */
export async function echoRoundTrip(
  dir: string,
  line: string,
): Promise<{ once: () => Promise<void>; close: () => Promise<void> }> {
  const path = join(dir, 'echo.sock');
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const socket = createConnection(path);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  const splitter = new FrameSplitter();
  let waiting: (() => void) | null = null;
  socket.on('data', (chunk: Buffer) => {
    if (splitter.push(chunk).lines.length > 0) waiting?.();
  });
  return {
    once: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        socket.write(line);
      }),
    close: async () => {
      socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The machine's floor for the MCP round trip's shape: a child process relays its stdin to a Unix socket
 * served by this process and the socket's bytes back to its stdout (as the bridge sits between Claude
 * and the host), and this process echoes each line (as the host answers). No parsing, no deciding, no
 * recording: what is left is four cross-process wake-ups and the pipe and socket writes.
 */
export async function relayRoundTrip(
  dir: string,
  line: string,
): Promise<{ pid: number | null; once: () => Promise<void>; close: () => Promise<void> }> {
  const path = join(dir, 'relay.sock');
  const server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const relaySource = [
    "const socket = require('node:net').createConnection(process.env.RELAY_SOCKET);",
    'process.stdin.on("data", (chunk) => socket.write(chunk));',
    'socket.on("data", (chunk) => process.stdout.write(chunk));',
    'process.stdin.on("end", () => process.exit(0));',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', relaySource], {
    env: { ...process.env, RELAY_SOCKET: path },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const splitter = new FrameSplitter();
  let waiting: (() => void) | null = null;
  child.stdout.on('data', (chunk: Buffer) => {
    if (splitter.push(chunk).lines.length > 0) waiting?.();
  });
  return {
    pid: child.pid ?? null,
    once: () =>
      new Promise<void>((resolve) => {
        waiting = resolve;
        child.stdin.write(line);
      }),
    close: async () => {
      child.stdin.end();
      await exited;
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
