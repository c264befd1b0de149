// `npm start`: installs what is missing, builds, and launches the desktop app. Where the Electron
// binary is missing and cannot be fetched, says so in one line and falls back to browser mode
// (`overseer serve`), printing the URL. With Electron present, the database module is built for
// Electron's ABI first (scripts/build-native-electron.mjs, kept apart from the system Node's build);
// when that fails the message says why and browser mode starts instead. Extra arguments go to
// `overseer serve`.
//
// Stopping: SIGINT, SIGTERM and SIGHUP are passed on to the app, and this script exits when the app
// exits (with its exit status). The app runs in its own process group, so a signal sent to our
// whole group (Ctrl-C in a terminal, a supervisor stopping the group) reaches it once, through here,
// rather than twice (a second SIGINT/SIGTERM during shutdown would cut its clean stop short).
import { spawn, spawnSync } from 'node:child_process';
import { constants as osConstants } from 'node:os';
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

/** The Electron binary when its database module is (or can now be) built; null otherwise, with a message. */
function electronReady(binary) {
  if (binary === null) return null;
  const native = spawnSync(process.execPath, [join(root, 'scripts/build-native-electron.mjs')], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, OVERSEER_ELECTRON_BINARY: binary },
  });
  if (native.status === 0) return binary;
  console.log(
    'overseer: the desktop app needs the database module built for Electron (see above); starting browser mode instead (overseer serve).',
  );
  return null;
}

const passthrough = process.argv.slice(2);
const binary = process.env.OVERSEER_BROWSER_MODE === '1' ? null : electronReady(electronBinary());
const child =
  binary === null
    ? (console.log(
        'overseer: the Electron binary is not available here and could not be downloaded; starting browser mode instead (overseer serve).',
      ),
      spawn(process.execPath, [join(root, 'out/main/overseer.js'), 'serve', ...passthrough], {
        cwd: root,
        stdio: 'inherit',
        detached: true,
      }))
    : spawn(binary, [root], { cwd: root, stdio: 'inherit', detached: true });

// One stop request often arrives several times at once (the terminal signals the whole group, npm
// passes it on too): repeats within this window are the same request and are not passed on again.
// A later one (a second Ctrl-C) is passed on, and the app's default for it applies (stop now).
const REPEAT_WINDOW_MS = 1000;
let lastForwardedAt = 0;
function forward(signal) {
  const now = Date.now();
  if (now - lastForwardedAt < REPEAT_WINDOW_MS) return;
  lastForwardedAt = now;
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));

child.on('error', (error) => {
  console.error(`overseer: could not start the app: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  // Killed by a signal: report it the shell's way (128 + its number).
  const number = signal === null ? 0 : (osConstants.signals[signal] ?? 0);
  process.exit(code ?? 128 + number);
});
