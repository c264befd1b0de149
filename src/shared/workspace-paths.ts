// Paths as an operator reads them: a tool's file path shown relative to the goal's workspace
// (`src/app.ts`, not `/home/me/.overseer/worktrees/0f3a…/src/app.ts`) and whether it lies inside
// it. Pure string work on POSIX-style paths (the renderer has no node:path).

/** `path` with `.`/`..` segments and doubled slashes resolved; relative paths resolve against `base`. */
export function normalizePath(path: string, base: string | null = null): string {
  const joined = path.startsWith('/') || base === null ? path : `${base}/${path}`;
  const absolute = joined.startsWith('/');
  const parts: string[] = [];
  for (const segment of joined.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(segment);
  }
  return `${absolute ? '/' : ''}${parts.join('/')}` || (absolute ? '/' : '.');
}

/** True when `path` (absolute, or relative to the workspace) is the workspace or inside it. */
export function isInsideWorkspace(path: string, workspace: string): boolean {
  const root = normalizePath(workspace);
  const target = normalizePath(path, root);
  return target === root || target.startsWith(root === '/' ? '/' : `${root}/`);
}

/** The path relative to the workspace when inside it, else the normalized absolute path. */
export function workspaceRelative(path: string, workspace: string | null): string {
  if (workspace === null || workspace === '') return path;
  const root = normalizePath(workspace);
  const target = normalizePath(path, root);
  if (target === root) return '.';
  return isInsideWorkspace(target, root) ? target.slice(root === '/' ? 1 : root.length + 1) : target;
}
