// The soak bench's host and clients: `overseer serve` from the build (out/main/overseer.js) as a
// child process whose process tree is recorded the whole time, its RSS and open descriptors read
// from /proc, and WebSocket clients that record every event frame they receive (by host seq).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SOCKET_PATH, socketProtocols } from '../../src/shared/socket-auth.js';
import { isRunning } from '../../src/main/driver/process-identity.js';
import { ProcessTreeTracker } from '../../src/main/driver/process-tree.js';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const builtCli = join(repoRoot, 'out', 'main', 'overseer.js');

export interface ServedHost {
  url: URL;
  pid: number;
  child: ChildProcess;
  tracker: ProcessTreeTracker;
  output(): string;
  /** Every pid seen in the host's tree so far, the host's own included. */
  recordedPids(): Promise<number[]>;
}

export async function startHost(dataDir: string, env: NodeJS.ProcessEnv): Promise<ServedHost> {
  const child = spawn(
    process.execPath,
    [builtCli, 'serve', '--port', '0', '--data-dir', dataDir, '--heartbeat-ms', '1000'],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error('overseer serve did not start');
  const tracker = new ProcessTreeTracker(pid, 250);
  tracker.start();
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const check = (): void => {
      const match = /serving at (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) resolve(match[1]);
    };
    child.stdout.on('data', check);
    child.once('exit', (code, signal) =>
      reject(new Error(`overseer serve exited (${code ?? signal}) before serving:\n${output}`)),
    );
  });
  return {
    url: new URL(url),
    pid,
    child,
    tracker,
    output: () => output,
    async recordedPids() {
      await tracker.poll();
      return [pid, ...tracker.recordedPids()];
    },
  };
}

/** Stops the host with SIGTERM and waits for it to exit. */
export async function stopHost(host: ServedHost): Promise<void> {
  if (host.child.exitCode !== null || host.child.signalCode !== null) return;
  const exited = new Promise((resolve) => host.child.once('exit', resolve));
  host.child.kill('SIGTERM');
  await exited;
}

/** Pids among `pids` still running (zombies excluded). */
export async function stillRunning(pids: readonly number[]): Promise<number[]> {
  const alive = await Promise.all(pids.map(async (pid) => ((await isRunning(pid)) ? pid : null)));
  return alive.filter((pid): pid is number => pid !== null);
}

export interface ResourceSample {
  at: string;
  rssMiB: number;
  fds: number;
}

export function sampleResources(pid: number, at: string): ResourceSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 'NaN');
  return { at, rssMiB: Math.round((rssKiB / 1024) * 10) / 10, fds: readdirSync(`/proc/${pid}/fd`).length };
}

interface EventFrame {
  seq: number;
  channel: string;
  payload: unknown;
}

/** A WebSocket client subscribed from the start: every event frame, in arrival order. */
export class RecordingClient {
  readonly events: EventFrame[] = [];
  closed = false;
  private nextId = 1;
  private readonly pending = new Map<number, (frame: { ok: boolean; value?: unknown; error?: unknown }) => void>();
  private readonly listeners = new Set<(frame: EventFrame) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as {
        type: string;
        id?: number;
        seq?: number;
        channel?: string;
        payload?: unknown;
        ok?: boolean;
        value?: unknown;
        error?: unknown;
      };
      if (frame.type === 'event' && typeof frame.seq === 'number' && typeof frame.channel === 'string') {
        const event = { seq: frame.seq, channel: frame.channel, payload: frame.payload };
        this.events.push(event);
        for (const listener of this.listeners) listener(event);
      } else if (frame.type === 'result' && typeof frame.id === 'number') {
        this.pending.get(frame.id)?.({ ok: frame.ok === true, value: frame.value, error: frame.error });
        this.pending.delete(frame.id);
      }
    });
    ws.on('close', () => {
      this.closed = true;
      for (const resolve of this.pending.values()) resolve({ ok: false, error: 'connection closed' });
      this.pending.clear();
    });
    ws.on('error', () => undefined);
  }

  static connect(url: URL): Promise<RecordingClient> {
    const token = url.searchParams.get('token') ?? '';
    const ws = new WebSocket(`ws://${url.host}${SOCKET_PATH}`, socketProtocols(token), { origin: url.origin });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const client = new RecordingClient(ws);
        ws.send(JSON.stringify({ type: 'subscribe', afterSeq: -1 }));
        resolve(client);
      });
      ws.once('error', reject);
    });
  }

  onEvent(listener: (frame: EventFrame) => void): void {
    this.listeners.add(listener);
  }

  async invoke(channel: string, payload: unknown): Promise<unknown> {
    const id = this.nextId++;
    const answer = await new Promise<{ ok: boolean; value?: unknown; error?: unknown }>((resolve) => {
      this.pending.set(id, resolve);
      this.ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
    });
    if (!answer.ok) throw new Error(`${channel} failed: ${JSON.stringify(answer.error)}`);
    return answer.value;
  }

  close(): void {
    this.ws.close();
  }
}
