// Paths of files that must live outside the app archive. In a packaged desktop app the code runs from
// `…/resources/app.asar/…`, a read-only archive Electron can read but other programs cannot: native
// modules cannot be loaded from it and Claude Code cannot run the permission bridge from it. Those files
// are unpacked next to it (`app.asar.unpacked`, electron-builder's `asarUnpack`), and this maps a path
// inside the archive to its unpacked twin. Outside an archive a path is returned as it is.
import { sep } from 'node:path';

const ARCHIVE = `${sep}app.asar${sep}`;
const UNPACKED = `${sep}app.asar.unpacked${sep}`;

/** Whether `path` points into an app archive. */
export function insideAsar(path: string): boolean {
  return path.includes(ARCHIVE) || path.endsWith(`${sep}app.asar`);
}

/** The unpacked twin of a path inside the app archive; any other path unchanged. */
export function outsideAsar(path: string): string {
  if (path.endsWith(`${sep}app.asar`)) return `${path}.unpacked`;
  const at = path.indexOf(ARCHIVE);
  return at === -1 ? path : `${path.slice(0, at)}${UNPACKED}${path.slice(at + ARCHIVE.length)}`;
}
