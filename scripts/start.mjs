// `npm start`: installs what is missing, builds, and launches the desktop app. Where the Electron
// binary is missing and cannot be fetched, says so in one line and falls back to browser mode
// (`overseer serve`), printing the URL. Extra arguments go to `overseer serve`.
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps, run } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
ensureDeps(root);
if (run('npx', ['electron-vite', 'build'], { cwd: root }) !== 0) process.exit(1);

function electronBinary() {
  // Resolving `electron` downloads the binary on first use; capture its noise and time-box it.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return probe.status === 0 && probe.stdout.trim() !== '' ? probe.stdout.trim() : null;
}

const passthrough = process.argv.slice(2);
const binary = process.env.OVERSEER_BROWSER_MODE === '1' ? null : electronBinary();
const child =
  binary === null
    ? (console.log('overseer: the Electron binary is not available here and could not be downloaded; starting browser mode instead (overseer serve).'),
      spawn(process.execPath, [join(root, 'out/main/overseer.js'), 'serve', ...passthrough], { cwd: root, stdio: 'inherit' }))
    : spawn(binary, [root], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
