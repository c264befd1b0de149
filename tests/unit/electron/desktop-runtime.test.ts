// What lets the desktop app start on a real machine, tested without an Electron binary: which
// better-sqlite3 binding each runtime loads (by ABI), paths inside and outside the app archive, the
// permission bridge started by Electron as Node, and the build script naming files as the host looks
// for them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { insideAsar, outsideAsar } from '../../../src/main/asar-paths.js';
import { bridgeCommand } from '../../../src/main/host/bridge-command.js';
import { openDatabase } from '../../../src/main/store/database.js';
import {
  electronBindingFileName,
  SqliteBindingMissingError,
  sqliteNativeBinding,
} from '../../../src/main/store/sqlite-binding.js';
import { appIconPath } from '../../../electron/app-icon.js';
// @ts-expect-error: a plain .mjs build script without type declarations.
import * as nativeScript from '../../../scripts/build-native-electron.mjs';

const APP = ['', 'opt', 'Overseer', 'resources', 'app.asar'].join(sep);
const UNPACKED = `${APP}.unpacked`;
const NODE = { node: '20.19.0', modules: '115' };
const ELECTRON = { node: '22.20.0', modules: '140', electron: '45.4.1' };

describe('the app archive', () => {
  it('maps paths inside app.asar to their unpacked twins and leaves others alone', () => {
    expect(insideAsar(join(APP, 'out', 'main', 'index.js'))).toBe(true);
    expect(outsideAsar(join(APP, 'out', 'main', 'permission-bridge.js'))).toBe(
      join(UNPACKED, 'out', 'main', 'permission-bridge.js'),
    );
    expect(outsideAsar(APP)).toBe(UNPACKED);
    const plain = join(sep, 'home', 'dev', 'overseer', 'out', 'main', 'index.js');
    expect(insideAsar(plain)).toBe(false);
    expect(outsideAsar(plain)).toBe(plain);
    // Only a path segment counts, not a folder that merely starts with the same name.
    const lookalike = join(sep, 'src', 'app.asarx', 'a.js');
    expect(outsideAsar(lookalike)).toBe(lookalike);
  });

  it('icons come from resources/icons, unpacked in a package', () => {
    expect(appIconPath(join(APP, 'out', 'main'), 512)).toBe(join(UNPACKED, 'resources', 'icons', '512x512.png'));
    expect(appIconPath(join(sep, 'dev', 'overseer', 'out', 'main'), 32)).toBe(
      join(sep, 'dev', 'overseer', 'resources', 'icons', '32x32.png'),
    );
  });
});

describe('the better-sqlite3 binding by ABI', () => {
  const facts = (versions: Record<string, string>, present: string[] = [], from = join(APP, 'out', 'main')) => ({
    versions,
    platform: 'linux',
    arch: 'x64',
    from: [from],
    exists: (path: string) => present.includes(path),
  });

  it('plain Node (CLI, browser mode, tests) loads the default build', () => {
    expect(sqliteNativeBinding(facts(NODE))).toBeUndefined();
  });

  it('Electron loads the build for its own ABI, from the unpacked side of a package', () => {
    const built = join(UNPACKED, 'out', 'native', 'better_sqlite3-electron-abi140-linux-x64.node');
    expect(sqliteNativeBinding(facts(ELECTRON, [built]))).toBe(built);
  });

  it('Electron from a source checkout finds out/native at the project root', () => {
    const root = join(sep, 'home', 'dev', 'overseer');
    const built = join(root, 'out', 'native', 'better_sqlite3-electron-abi140-linux-x64.node');
    expect(sqliteNativeBinding(facts(ELECTRON, [built], join(root, 'out', 'main', 'chunks')))).toBe(built);
  });

  it('a build for another ABI is not taken, and a missing one is a clear error naming the fix', () => {
    const other = join(UNPACKED, 'out', 'native', 'better_sqlite3-electron-abi139-linux-x64.node');
    let error: unknown = null;
    try {
      sqliteNativeBinding(facts(ELECTRON, [other]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SqliteBindingMissingError);
    expect(String(error)).toMatch(/not been built for Electron 45\.4\.1 \(ABI 140\).*npm run build:native-electron/);
  });

  it('the build script names the file exactly as the host looks for it', () => {
    const scriptName = (
      nativeScript as { electronBindingFileName: (abi: string, platform?: string, arch?: string) => string }
    ).electronBindingFileName;
    for (const [abi, platform, arch] of [
      ['140', 'linux', 'x64'],
      ['133', 'darwin', 'arm64'],
      ['140', 'win32', 'x64'],
    ] as const) {
      expect(scriptName(abi, platform, arch)).toBe(electronBindingFileName(abi, platform, arch));
    }
  });

  describe('openDatabase', () => {
    let dir: string | null = null;
    afterEach(() => {
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
      dir = null;
    });

    it('loads the binding it is given through nativeBinding, and refuses one that is not there', () => {
      const require = createRequire(import.meta.url);
      const systemBuild = join(
        require.resolve('better-sqlite3/package.json'),
        '..',
        'build',
        'Release',
        'better_sqlite3.node',
      );
      dir = mkdtempSync(join(tmpdir(), 'overseer-binding-'));
      const db = openDatabase(join(dir, 'a.db'), { nativeBinding: systemBuild });
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      db.close();
      expect(() => openDatabase(join(dir ?? '', 'b.db'), { nativeBinding: join(dir ?? '', 'missing.node') })).toThrow();
    });
  });
});

describe('the permission bridge in the desktop app', () => {
  it('runs the unpacked bridge with Electron as Node', () => {
    const here = join(APP, 'out', 'main');
    const unpacked = join(UNPACKED, 'out', 'main', 'permission-bridge.js');
    const command = bridgeCommand({
      here,
      execPath: '/opt/Overseer/overseer',
      electronVersion: '45.4.1',
      exists: (path) => path === unpacked,
    });
    expect(command).toEqual({
      command: '/opt/Overseer/overseer',
      args: [unpacked],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('under Node runs the built bridge next to the host without Electron variables', () => {
    const here = join(sep, 'dev', 'overseer', 'out', 'main');
    const built = join(here, 'permission-bridge.js');
    expect(
      bridgeCommand({ here, execPath: '/usr/bin/node', electronVersion: undefined, exists: (path) => path === built }),
    ).toEqual({ command: '/usr/bin/node', args: [built] });
  });
});
