// Runs git as a plain child process, for the per-turn hot path of checkpoints (add -A, write-tree,
// update-ref, the turn's diff). simple-git costs a measurable slice per call on top of the process
// itself (its task queue and plugins, and a 50 ms wait after silent commands that GIT_TRACE works
// around); every checkpoint paid it several times. GitRunner turns the result into the same
// errors as its simple-git path (conformance: tests/integration/workspace/git-runner.test.ts).
//
// A prepared git (prepareGit) pays for starting the process ahead of time: Node's spawn forks the
// host synchronously (libuv), which blocks the event loop for several milliseconds, more the more
// memory the host holds (bench/checkpoint). A prepared git is forked while the host waits on
// another process anyway, as a POSIX shell (the gate) that waits for one line on its stdin and
// then replaces itself with git (`exec`, no second fork); `release` sends that line. Nothing of git
// runs, and no file is read, before the release. A gate that ended before its release (killed from
// outside) is no failure of the call: git is then spawned at the release, as it would have been
// without the gate. Windows has no such shell: there the process is only spawned at the release.
// What was released or abandoned, and when, is decided here once for both kinds. A waiting gate
// does not keep the host's process alive (a CLI whose goal ended with a call still prepared exits);
// when the host is gone, the gate's stdin closes and it exits without running git.
import { spawn, type ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';

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
  const child = spawn(call.binary, [...call.argv], {
    cwd: call.cwd,
    env: call.env,
    stdio: [call.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  const exit = collectExit(child, call.silenceTimeoutMs);
  exit.watch();
  if (call.input !== undefined) writeStdin(child, call.input);
  return exit.done;
}

/** What the gate exits with when its stdin closes before the line: git never ran. */
const GATE_ABANDONED = 125;
/**
 * The gate: wait for one line on stdin (EOF first: exit GATE_ABANDONED), say on fd 3 that it took
 * it, then become the command named by $0 with the remaining arguments, fd 3 closed. A shell that
 * cannot exec it exits 126 or 127.
 */
const GATE_SCRIPT = `read -r _ || exit ${GATE_ABANDONED}; echo >&3; exec "$0" "$@" 3>&-`;

export interface PreparedGit {
  /** Runs git now (the first of release and abandon decides; the other then does nothing). */
  release(): void;
  /** Never runs git. */
  abandon(): void;
  /** As spawnGit's promise once released; null once abandoned (git never ran). */
  exit: Promise<DirectGitExit | null>;
  /** Whether `exit` is the gate's own failure to start git (126/127 before any git output). */
  gateFailed(exit: DirectGitExit): boolean;
}

/**
 * A git to be run at `release`: forked now behind the gate (see the header) where there is a POSIX
 * shell, else spawned at the release (deferredGit). The silence timeout counts from the release.
 */
export function prepareGit(call: DirectGitCall): PreparedGit {
  return process.platform === 'win32' ? deferredGit(call) : gatedGit(call);
}

/** The once-only choice between release and abandon, and the exit it leads to. */
function decision(
  onRelease: () => Promise<DirectGitExit>,
  onAbandon: () => Promise<null>,
): Pick<PreparedGit, 'release' | 'abandon' | 'exit'> {
  let decide: (released: boolean) => void = () => undefined;
  const decided = new Promise<boolean>((resolvePromise) => {
    decide = resolvePromise;
  });
  let open = true;
  const once = (released: boolean): void => {
    if (!open) return;
    open = false;
    decide(released);
  };
  return {
    release: () => once(true),
    abandon: () => once(false),
    exit: decided.then((released) => (released ? onRelease() : onAbandon())),
  };
}

function gatedGit(call: DirectGitCall): PreparedGit {
  const child = spawn('/bin/sh', ['-c', GATE_SCRIPT, call.binary, ...call.argv], {
    cwd: call.cwd,
    env: call.env,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
  });
  holdsProcess(child, false);
  const gate = collectExit(child, call.silenceTimeoutMs);
  let gateEnded = false;
  const ended = (): void => {
    gateEnded = true;
  };
  gate.done.then(ended, ended);
  // Read before the child's 'close' (Node waits for every pipe of the child to close first).
  let tookLine = false;
  child.stdio[3]?.once('data', () => {
    tookLine = true;
  });
  const { release, abandon, exit } = decision(
    () => {
      // The gate is gone, or goes before taking the line (killed while it waited, or never started):
      // git runs now, forked at the release, as without the gate.
      if (gateEnded) return spawnGit(call);
      holdsProcess(child, true);
      gate.watch();
      writeStdin(child, `\n${call.input ?? ''}`);
      return gate.done.then(
        (done) => (tookLine ? done : spawnGit(call)),
        () => spawnGit(call),
      );
    },
    async () => {
      if (!gateEnded) writeStdin(child, '');
      return null;
    },
  );
  return {
    release,
    abandon,
    exit,
    gateFailed: (result) => (result.exitCode === 126 || result.exitCode === 127) && result.stdout === '',
  };
}

/** prepareGit without the gate: nothing is started before the release (exported for its test). */
export function deferredGit(call: DirectGitCall): PreparedGit {
  return {
    ...decision(
      () => spawnGit(call),
      async () => null,
    ),
    gateFailed: () => false,
  };
}

/** Whether the child and its pipes keep this process alive (Node's ref/unref). */
function holdsProcess(child: ChildProcess, hold: boolean): void {
  if (hold) child.ref();
  else child.unref();
  for (const stream of child.stdio) {
    if (!(stream instanceof Socket)) continue;
    if (hold) stream.ref();
    else stream.unref();
  }
}

function writeStdin(child: ChildProcess, input: string): void {
  const stdin = child.stdin;
  if (stdin === null) return;
  // git may exit before reading all of stdin (a usage error): its exit code says so.
  stdin.on('error', () => undefined);
  stdin.end(input);
}

/** Collects a child's output and exit; `watch` starts the silence timer (killing a silent child). */
function collectExit(
  child: ChildProcess,
  silenceTimeoutMs: number,
): { done: Promise<DirectGitExit>; watch: () => void } {
  let watching = false;
  let timer: NodeJS.Timeout | null = null;
  let silenced = false;
  const touch = (): void => {
    if (!watching) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      silenced = true;
      child.kill('SIGKILL');
    }, silenceTimeoutMs);
  };
  const done = new Promise<DirectGitExit>((resolvePromise, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let settled = false;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      watching = false;
      if (timer !== null) clearTimeout(timer);
      outcome();
    };
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
  });
  return {
    done,
    watch: () => {
      watching = true;
      touch();
    },
  };
}
