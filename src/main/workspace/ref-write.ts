// Writing one checkpoint ref without a git process, the way git's own files backend writes a loose
// ref: create `<ref>.lock` exclusively (so git and we never write the ref at the same time), check
// the ref's current value under the lock (loose file, else packed-refs), write the new id into the
// lock file and rename it over the ref. A checkpoint used to spend a whole `update-ref` process on
// this (bench/checkpoint). Git reads the ref, and the commit it names, exactly as if `update-ref`
// had written it (conformance: tests/integration/workspace/ref-write.test.ts).
//
// Only the plain case is done here; anything else returns 'unsupported' and the caller runs
// `git update-ref` (one transaction, same checks): a repository whose refs are not loose files
// (reftable), a ref that has a reflog (core.logAllRefUpdates=always keeps one for every ref, and
// only git writes reflogs), a lock held by someone else, or a value that is not the expected one
// (git then fails the transaction with its own error).
//
// The file operations are synchronous, like the loose objects' (loose-object.ts): a handful of
// calls on small files, each of which would otherwise wait for the thread pool. Measured
// (bench/checkpoint, 1k files): 2-3 ms per ref asynchronously, 0.4-0.7 ms synchronously.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { GitRunner } from './git.js';
import { updateRefs, type RefChange } from './refs.js';

export type LooseRefWrite = 'written' | 'unsupported';

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The ref's id in packed-refs, or null when it is not there. */
function packedValue(packed: string | null, ref: string): string | null {
  if (packed === null) return null;
  for (const line of packed.split('\n')) {
    if (line.endsWith(` ${ref}`) && !line.startsWith('#') && !line.startsWith('^')) {
      return line.slice(0, line.indexOf(' '));
    }
  }
  return null;
}

/**
 * Sets `ref` (under refs/overseer/) to `sha` when its value is `expected` (all zeros: it must not
 * exist). 'unsupported': nothing was written; run `git update-ref` instead.
 */
export async function writeLooseRef(
  commonDir: string,
  ref: string,
  sha: string,
  expected: string,
): Promise<LooseRefWrite> {
  if (!ref.startsWith('refs/overseer/') || ref.split('/').some((part) => part === '' || part.startsWith('.'))) {
    return 'unsupported';
  }
  if (!OBJECT_ID.test(sha) || !OBJECT_ID.test(expected)) return 'unsupported';
  if (existsSync(join(commonDir, 'reftable')) || existsSync(join(commonDir, 'logs', 'refs', 'overseer'))) {
    return 'unsupported';
  }
  const file = join(commonDir, ref);
  const lock = `${file}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  let fd: number | null;
  try {
    fd = openSync(lock, 'wx', 0o666);
  } catch {
    return 'unsupported'; // locked by another writer (git reports it), or a folder in the way
  }
  let renamed = false;
  try {
    const loose = readText(file);
    const current = loose !== null ? loose.trim() : packedValue(readText(join(commonDir, 'packed-refs')), ref);
    const none = /^0+$/.test(expected);
    if (none ? current !== null : current !== expected) return 'unsupported';
    writeSync(fd, `${sha}\n`);
    closeSync(fd);
    fd = null;
    renameSync(lock, file);
    renamed = true;
    return 'written';
  } finally {
    if (fd !== null) closeSync(fd);
    if (!renamed) rmSync(lock, { force: true });
  }
}

/**
 * Applies a checkpoint's ref changes: one expected-value update is written in-process when it can
 * be (writeLooseRef), outside a shared repository; anything else is one `git update-ref --stdin`
 * transaction.
 */
export async function applyRefChanges(
  git: GitRunner,
  context: { top: string; commonDir: string; sharedRepository: boolean },
  changes: RefChange[],
): Promise<void> {
  const only = changes.length === 1 ? changes[0] : undefined;
  // Not in a shared repository: git gives the refs it writes there the group's permissions.
  if (!context.sharedRepository && only !== undefined && 'sha' in only && only.expected !== undefined) {
    if ((await writeLooseRef(context.commonDir, only.ref, only.sha, only.expected)) === 'written') return;
  }
  await updateRefs(git, context.top, changes, { direct: true });
}
