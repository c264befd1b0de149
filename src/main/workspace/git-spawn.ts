// Runs git as a plain child process, for the per-turn hot path of checkpoints (add -A, write-tree,
// update-ref, the turn's diff). simple-git costs a measurable slice per call on top of the process
// itself (its task queue and plugins, and a 50 ms wait after silent commands that GIT_TRACE works
// around); every checkpoint paid it several times. GitRunner turns the result into the same
// errors as its simple-git path (conformance: tests/integration/workspace/git-spawn.test.ts).
import { spawn } from 'node:child_process';

export interface DirectGitCall {
  binary: string;
  cwd: string;
  /** Everything after `git`, `-c` settings included. */
  argv: readonly string[];
  /** The whole environment of the process. */
  env: Record<string, string>;
  /** Written to stdin. */
  input?: string;
  /** Kill git when it prints nothing for this long (ms). */
  silenceTimeoutMs: number;
}

export interface DirectGitExit {
  /** null when git was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** True when this module killed git for its silence. */
  silenced: boolean;
}

/** Runs git to its end. Rejects only when the process could not be started (ENOENT, EACCES...). */
export function spawnGit(call: DirectGitCall): Promise<DirectGitExit> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(call.binary, [...call.argv], {
      cwd: call.cwd,
      env: call.env,
      stdio: [call.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    let silenced = false;
    let timer: NodeJS.Timeout | null = null;
    const touch = (): void => {
      if (timer !== null) clearTimeout(timer);
      timer = setTimeout(() => {
        silenced = true;
        child.kill('SIGKILL');
      }, call.silenceTimeoutMs);
    };
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      if (timer !== null) clearTimeout(timer);
      outcome();
    };
    touch();
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
      touch();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr.push(chunk);
      touch();
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('close', (code) =>
      settle(() =>
        resolvePromise({
          exitCode: code,
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          silenced,
        }),
      ),
    );
    const stdin = child.stdin;
    if (call.input !== undefined && stdin !== null) {
      // git may exit before reading all of stdin (a usage error): its exit code says so.
      stdin.on('error', () => undefined);
      stdin.end(call.input);
    }
  });
}
