// A raw socket client for the server tests: writes arbitrary bytes, collects every server frame, and
// notices when the server closes the connection.
import { spawn } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { FrameSplitter, parseServerFrame, type ServerFrame } from '../../../src/main/permission/frames.js';

export class RawClient {
  readonly frames: ServerFrame[] = [];
  readonly unreadable: string[] = [];
  closed = false;
  private readonly splitter = new FrameSplitter(64 * 1024 * 1024);
  /** Re-checked on every frame and on close: waits end on what arrives, not on a deadline. */
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const line of this.splitter.push(chunk).lines) {
        const parsed = parseServerFrame(line);
        if (parsed.ok) this.frames.push(parsed.frame);
        else this.unreadable.push(line);
      }
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /**
   * Resolves once `condition` holds. No deadline of its own (a big frame on a loaded machine can take
   * long): the test's timeout is the ceiling for a hang. Rejects if the connection closes first and the
   * condition still does not hold.
   */
  private until(condition: () => boolean, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition()) {
          this.waiters.delete(check);
          resolve();
        } else if (this.closed) {
          this.waiters.delete(check);
          reject(new Error(`the connection closed before ${what} arrived`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  static connect(path: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      socket.once('connect', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  send(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  frame(kind: ServerFrame['kind'], id?: string): ServerFrame | undefined {
    return this.frames.find((f) => f.kind === kind && (id === undefined || ('id' in f && f.id === id)));
  }

  async waitFrame(kind: ServerFrame['kind'], id?: string): Promise<ServerFrame> {
    await this.until(() => this.frame(kind, id) !== undefined, `a ${kind} frame`);
    const found = this.frame(kind, id);
    if (found === undefined) throw new Error('unreachable');
    return found;
  }

  waitClosed(): Promise<void> {
    return this.until(() => this.closed, 'the close');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Leaves a stale socket at `path`: a child process listens there and is killed with SIGKILL. */
export async function leaveStaleSocket(path: string): Promise<void> {
  const child = spawn(
    process.execPath,
    ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('ready'))`],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', () => reject(new Error('listener child exited early')));
  });
  child.removeAllListeners('exit');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
