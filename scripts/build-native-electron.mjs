// `npm run build:native-electron`: builds better-sqlite3 for the ABI of the Electron in node_modules,
// into out/native/better_sqlite3-electron-abi<N>-<platform>-<arch>.node. node_modules keeps its own
// build for the system Node (the CLI, browser mode and the tests use it); the desktop host loads this
// one through better-sqlite3's `nativeBinding` option (src/main/store/sqlite-binding.ts).
//
// How: a copy of the better-sqlite3 package under build/native-electron/ gets a prebuilt binary for
// Electron (prebuild-install, network) or, failing that, is compiled against Electron's headers
// (node-gyp: a C/C++ toolchain and Python). The result is loaded once by Electron (run as Node) to
// prove it fits. `npm start` and `npm run dist` run this when Electron is present. Exit status 0 when
// the binding is there (built now or before), 1 with a message saying what is missing otherwise.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** Must name the file as src/main/store/sqlite-binding.ts does (tests/unit/electron/desktop-runtime.test.ts checks). */
export function electronBindingFileName(abi, platform = process.platform, arch = process.arch) {
  return `better_sqlite3-electron-abi${abi}-${platform}-${arch}.node`;
}

/**
 * The Electron binary, or null when it is not installed (its download failed or was skipped).
 * Read from electron's own path.txt: requiring `electron` would try to download it.
 */
export function electronBinary() {
  const given = process.env.OVERSEER_ELECTRON_BINARY;
  if (given !== undefined && given !== '') return existsSync(given) ? given : null;
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const binary = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** The lines of a failed run's output that say why (errors first), short. */
function why(run) {
  const lines = `${run.stderr ?? ''}\n${run.stdout ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const telling = lines.filter(
    (line) => /error|ENOTFOUND|EAI_AGAIN|not found|cannot/i.test(line) && !/not ok$/.test(line),
  );
  return (telling.length > 0 ? telling.slice(0, 2) : lines.slice(-3)).join(' | ') || run.error?.message || 'no output';
}

function runElectronAsNode(binary, args, options = {}) {
  return spawnSync(binary, args, { encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, ...options });
}

function nodeGypScript() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not installed locally
  }
  return candidates.find((path) => typeof path === 'string' && existsSync(path)) ?? null;
}

/** Builds (or finds) the binding; returns { ok, path } or { ok: false, message }. */
export function buildElectronBinding(binary = electronBinary()) {
  if (binary === null) {
    return {
      ok: false,
      message: 'Electron is not installed here (node_modules/electron has no binary), so there is no ABI to build for.',
    };
  }
  const version = require('electron/package.json').version;
  const abiProbe = runElectronAsNode(binary, ['-p', 'process.versions.modules']);
  const abi = abiProbe.status === 0 ? abiProbe.stdout.trim() : '';
  if (!/^\d+$/.test(abi))
    return {
      ok: false,
      message: `could not ask Electron ${version} for its ABI: ${abiProbe.stderr || abiProbe.error?.message || 'no answer'}`,
    };
  const target = join(root, 'out', 'native', electronBindingFileName(abi));
  if (existsSync(target)) return { ok: true, path: target, built: false };

  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = join(root, 'build', 'native-electron', 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(dirname(work), { recursive: true });
  cpSync(source, work, { recursive: true, filter: (path) => !path.startsWith(join(source, 'build')) });

  const attempts = [];
  const prebuild = (() => {
    try {
      return require.resolve('prebuild-install/bin.js');
    } catch {
      return null;
    }
  })();
  let built = false;
  if (prebuild !== null) {
    const run = spawnSync(
      process.execPath,
      [prebuild, '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`],
      { cwd: work, encoding: 'utf8' },
    );
    if (run.status === 0) built = true;
    else attempts.push(`prebuilt binary (prebuild-install): ${why(run)}`);
  } else attempts.push('prebuilt binary: prebuild-install is not installed');
  if (!built) {
    const gyp = nodeGypScript();
    if (gyp === null) attempts.push('compiling: node-gyp was not found (it ships with npm)');
    else {
      const run = spawnSync(
        process.execPath,
        [
          gyp,
          'rebuild',
          '--release',
          `--target=${version}`,
          `--arch=${process.arch}`,
          '--dist-url=https://electronjs.org/headers',
        ],
        { cwd: work, encoding: 'utf8' },
      );
      if (run.status === 0) built = true;
      else attempts.push(`compiling with node-gyp: ${why(run)}`);
    }
  }
  const compiled = join(work, 'build', 'Release', 'better_sqlite3.node');
  if (!built || !existsSync(compiled)) {
    return {
      ok: false,
      message:
        `could not build better-sqlite3 for Electron ${version} (ABI ${abi}). Tried:\n  - ${attempts.join('\n  - ')}\n` +
        "A prebuilt binary needs network access to github.com; compiling needs Electron's headers (downloaded once from " +
        'electronjs.org) and a C/C++ toolchain with Python (Linux: build-essential python3; macOS: xcode-select --install; ' +
        'Windows: Visual Studio Build Tools). Then run `npm run build:native-electron`.',
    };
  }
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(compiled, target);
  const check = runElectronAsNode(binary, [
    '-e',
    `const D = require(${JSON.stringify(work)}); new D(':memory:', { nativeBinding: ${JSON.stringify(target)} }).close();`,
  ]);
  if (check.status !== 0) {
    rmSync(target, { force: true });
    return {
      ok: false,
      message: `the binding built for Electron ${version} does not load in it: ${check.stderr.trim()}`,
    };
  }
  return { ok: true, path: target, built: true };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = buildElectronBinding();
  if (result.ok) {
    console.log(`overseer: ${result.built ? 'built' : 'found'} the database module for Electron: ${result.path}`);
  } else {
    console.error(`overseer: ${result.message}`);
    process.exit(1);
  }
}
