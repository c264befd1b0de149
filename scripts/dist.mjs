// `npm run dist`: the desktop packages (Linux AppImage and deb, macOS dmg, Windows nsis; see
// electron-builder.yml). Builds the app, builds the database module for Electron's ABI
// (scripts/build-native-electron.mjs), then runs electron-builder for this platform, or for the
// targets given after `--` (e.g. `npm run dist -- --linux AppImage`). Says plainly what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildElectronBinding } from './build-native-electron.mjs';
import { ensureDeps, run } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

function builderCli() {
  try {
    return join(dirname(require.resolve('electron-builder/package.json')), 'cli.js');
  } catch {
    return null;
  }
}

// Checked first: electron-builder is not among the project's dependencies yet, so installing them
// would not bring it.
const cli = builderCli();
if (cli === null || !existsSync(cli)) {
  console.error(
    'overseer: electron-builder is not installed. Add it once with `npm install --save-dev electron-builder@26`, then run `npm run dist` again.',
  );
  process.exit(1);
}
ensureDeps(root);
if (run('npx', ['electron-vite', 'build'], { cwd: root }) !== 0) process.exit(1);
const native = buildElectronBinding();
if (!native.ok) {
  console.error(`overseer: ${native.message}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, '--config', 'electron-builder.yml', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
