// Unified patches between two trees, per file, with a size cap per file that says it cut.
// One `git diff` call gives the patch of every file; it is split at its `diff --git` headers and
// matched to the files of a raw diff of the same trees and pathspecs (same order; a type change
// prints two sections: the old file deleted, the new one created). Each header is checked against
// the path it should name, so a mismatch is an error, never a patch shown under the wrong name.
import type { DiffFileStat } from '../../shared/domain/goal.js';
import { WorkspaceError } from './errors.js';
import { asWorkspaceError, type GitRunner } from './git.js';
import { DIFF_BASE_OPTIONS, diffFiles } from './diff-stat.js';

export interface GitFilePatch {
  path: string;
  oldPath: string | null;
  status: DiffFileStat['status'];
  binary: boolean;
  added: number;
  removed: number;
  /** The unified patch (git's headers included), cut to the cap when `truncated`. */
  patch: string;
  truncated: boolean;
  /** Size in bytes of the whole patch of this file before any cut. */
  originalBytes: number;
}

export interface TurnPatch {
  from: string;
  to: string;
  files: GitFilePatch[];
  /** How many files' patches were cut. */
  truncatedFiles: number;
}

export const DEFAULT_MAX_BYTES_PER_FILE = 256 * 1024;
/** The default cap of a single file's patch (GitWorkspaceManager.filePatch). */
export const DEFAULT_MAX_BYTES_FILE_PATCH = 1024 * 1024;

/** A byte cap given by a caller (`fallback` when left out), checked. */
export function checkedCap(value: number | undefined, fallback: number, what: string): number {
  const cap = value ?? fallback;
  if (!Number.isSafeInteger(cap) || cap < 0)
    throw new WorkspaceError('invalid_argument', `${what} must be a non-negative integer`);
  return cap;
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes, at the last line end when there is one. */
export function capBytes(text: string, maxBytes: number): { text: string; truncated: boolean; originalBytes: number } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false, originalBytes: bytes.length };
  let end = bytes.lastIndexOf(0x0a, maxBytes - 1) + 1;
  if (end <= 0) {
    // No line end inside the cap: cut at a character boundary (skip UTF-8 continuation bytes).
    end = maxBytes;
    while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  }
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true, originalBytes: bytes.length };
}

const C_ESCAPES: Record<number, string> = {
  7: 'a',
  8: 'b',
  9: 't',
  10: 'n',
  11: 'v',
  12: 'f',
  13: 'r',
  34: '"',
  92: '\\',
};

/** git's quote_c_style with core.quotePath=false: quoted only when it holds ", \ or control bytes. */
export function quoteGitPath(path: string): string {
  const bytes = Buffer.from(path, 'utf8');
  let needsQuotes = false;
  let out = '';
  let plainStart = 0;
  const flushPlain = (end: number): void => {
    out += bytes.subarray(plainStart, end).toString('utf8');
  };
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i] ?? 0;
    if (byte >= 0x20 && byte !== 0x7f && byte !== 34 && byte !== 92) continue;
    needsQuotes = true;
    flushPlain(i);
    const letter = C_ESCAPES[byte];
    out += letter !== undefined ? `\\${letter}` : `\\${byte.toString(8).padStart(3, '0')}`;
    plainStart = i + 1;
  }
  if (!needsQuotes) return path;
  flushPlain(bytes.length);
  return `"${out}"`;
}

function expectedHeader(file: DiffFileStat): string {
  const oldPath = file.oldPath ?? file.path;
  return `diff --git ${quoteGitPath(`a/${oldPath}`)} ${quoteGitPath(`b/${file.path}`)}`;
}

/** Splits a multi-file patch into its `diff --git` sections. */
function splitSections(patch: string): string[] {
  if (patch === '') return [];
  if (!patch.startsWith('diff --git '))
    throw new WorkspaceError('git_failed', 'patch output does not start with a diff header');
  const sections: string[] = [];
  let start = 0;
  for (;;) {
    const next = patch.indexOf('\ndiff --git ', start);
    if (next === -1) {
      sections.push(patch.slice(start));
      return sections;
    }
    sections.push(patch.slice(start, next + 1));
    start = next + 1;
  }
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

/**
 * The files changed between two tree-ish ids (already checked) with their whole patches, in git's
 * order. `pathspecs` limits both the file list and the patch the same way.
 */
export async function patchesBetween(
  git: GitRunner,
  cwd: string,
  from: string,
  to: string,
  pathspecs: readonly string[] = [],
): Promise<{ file: DiffFileStat; patch: string }[]> {
  const files = await diffFiles(git, cwd, from, to, pathspecs);
  if (files.length === 0) return [];
  let patch: string;
  try {
    patch = await git.run({
      cwd,
      config: ['core.quotePath=false'],
      args: [
        'diff',
        '--patch',
        '--src-prefix=a/',
        '--dst-prefix=b/',
        ...DIFF_BASE_OPTIONS,
        from,
        to,
        '--',
        ...pathspecs,
      ],
    });
  } catch (error) {
    throw asWorkspaceError(error, `patch ${from}..${to}`);
  }
  const sections = splitSections(patch);
  const result: { file: DiffFileStat; patch: string }[] = [];
  let at = 0;
  for (const file of files) {
    const count = file.status === 'type_changed' ? 2 : 1;
    const header = expectedHeader(file);
    let text = '';
    for (let k = 0; k < count; k += 1) {
      const section = sections[at++];
      if (section === undefined || firstLine(section) !== header) {
        throw new WorkspaceError(
          'git_failed',
          `patch sections do not match the changed files (expected ${JSON.stringify(header)}, got ${JSON.stringify(section === undefined ? null : firstLine(section))})`,
        );
      }
      text += section;
    }
    result.push({ file, patch: text });
  }
  if (at !== sections.length)
    throw new WorkspaceError('git_failed', 'patch output has more sections than changed files');
  return result;
}

export function toGitFilePatch(file: DiffFileStat, patch: string, maxBytes: number): GitFilePatch {
  const capped = capBytes(patch, maxBytes);
  return {
    path: file.path,
    oldPath: file.oldPath,
    status: file.status,
    binary: file.binary,
    added: file.added,
    removed: file.removed,
    patch: capped.text,
    truncated: capped.truncated,
    originalBytes: capped.originalBytes,
  };
}

/** A pathspec that matches exactly this path (no glob, no magic). */
export function literalPathspec(path: string): string {
  return `:(literal)${path}`;
}
