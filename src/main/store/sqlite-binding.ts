// Which compiled better-sqlite3 binding the host loads. A native module only loads into the runtime
// whose ABI (NODE_MODULE_VERSION) it was compiled for: `npm ci` builds better-sqlite3 for the system
// Node, which the CLI, browser mode and the tests use, and Electron has an ABI of its own. So the
// Electron build is kept apart, under `out/native/` as `better_sqlite3-electron-abi<N>-<platform>-<arch>.node`
// (made by `npm run build:native-electron`, which `npm start` and `npm run dist` run when Electron is
// present), and handed to better-sqlite3 through its `nativeBinding` option. Under plain Node the
// default build is used. In a packaged app the file is read from the unpacked side of the archive.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { outsideAsar } from '../asar-paths.js';

/** The folder, below the app's root, that holds bindings built for Electron. */
export const ELECTRON_BINDING_DIR = join('out', 'native');

/** The file name of the better-sqlite3 binding built for Electron's ABI `abi` on this platform. */
export function electronBindingFileName(
  abi: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return `better_sqlite3-electron-abi${abi}-${platform}-${arch}.node`;
}

export class SqliteBindingMissingError extends Error {
  constructor(
    readonly electronVersion: string,
    readonly abi: string,
    readonly searched: readonly string[],
  ) {
    super(
      `Overseer's database module (better-sqlite3) has not been built for Electron ${electronVersion} (ABI ${abi}). ` +
        `Run \`npm run build:native-electron\` (it needs a C/C++ toolchain and Python, or network access for a prebuilt binary) ` +
        `and start again. Looked for: ${searched.join(', ')}`,
    );
    this.name = 'SqliteBindingMissingError';
  }
}

export interface RuntimeFacts {
  /** process.versions: `electron` is set when running inside Electron (ELECTRON_RUN_AS_NODE included). */
  versions: Partial<Record<string, string>>;
  platform: string;
  arch: string;
  /** Folders to start the search from (the running file's folder). */
  from: readonly string[];
  exists: (path: string) => boolean;
}

/** Folders from `start` up to the root. */
function upward(start: string): string[] {
  const dirs: string[] = [];
  for (let dir = start; ; dir = dirname(dir)) {
    dirs.push(dir);
    if (dirname(dir) === dir) return dirs;
  }
}

/**
 * The `nativeBinding` to give better-sqlite3: undefined under plain Node (its own build), the path of
 * the Electron build inside Electron. Throws SqliteBindingMissingError when Electron has none.
 */
export function sqliteNativeBinding(facts: RuntimeFacts): string | undefined {
  const electron = facts.versions['electron'];
  if (electron === undefined) return undefined;
  const abi = facts.versions['modules'] ?? 'unknown';
  const name = electronBindingFileName(abi, facts.platform, facts.arch);
  const searched: string[] = [];
  for (const start of facts.from) {
    for (const dir of upward(start)) {
      const candidate = outsideAsar(join(dir, ELECTRON_BINDING_DIR, name));
      if (searched.includes(candidate)) continue;
      searched.push(candidate);
      if (facts.exists(candidate)) return candidate;
    }
  }
  throw new SqliteBindingMissingError(electron, abi, searched.slice(0, 4));
}

/** sqliteNativeBinding for this process. */
export function currentSqliteNativeBinding(): string | undefined {
  return sqliteNativeBinding({
    versions: process.versions,
    platform: process.platform,
    arch: process.arch,
    from: [dirname(fileURLToPath(import.meta.url))],
    exists: existsSync,
  });
}
