// `npm test`: every quality gate, in order, stopping at the first failure: dependencies,
// Chromium for the end-to-end tests, nats-server for the NATS integration tests, typecheck, lint, format (Prettier), build, unit + integration tests (vitest),
// end-to-end tests (Playwright in Debian's Chromium, browser mode, the real Claude Code CLI).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps, run } from './ensure-deps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = process.env.OVERSEER_CHROMIUM ?? '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `overseer: Chromium is missing at ${CHROMIUM}. Install it (Debian: sudo apt-get install -y chromium) or set OVERSEER_CHROMIUM to a Chromium binary.`,
    );
    process.exit(1);
  }
  console.log('overseer: installing Debian Chromium for the end-to-end tests (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    run('apt-get', ['update'], { env }) !== 0 ||
    run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env }) !== 0
  ) {
    console.error('overseer: apt-get could not install chromium.');
    process.exit(1);
  }
}

const NATS_SERVER = process.env.OVERSEER_NATS_SERVER ?? '/usr/sbin/nats-server';

/** The NATS integration tests start Debian's nats-server on a free loopback port. */
function ensureNatsServer() {
  if (existsSync(NATS_SERVER)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `overseer: nats-server is missing at ${NATS_SERVER}. Install it (Debian: sudo apt-get install -y nats-server) or set OVERSEER_NATS_SERVER to a nats-server binary.`,
    );
    process.exit(1);
  }
  console.log('overseer: installing Debian nats-server for the NATS integration tests (apt-get)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (
    run('apt-get', ['update'], { env }) !== 0 ||
    run('apt-get', ['install', '-y', '--no-install-recommends', 'nats-server'], { env }) !== 0
  ) {
    console.error('overseer: apt-get could not install nats-server.');
    process.exit(1);
  }
}

ensureDeps(root);
ensureChromium();
ensureNatsServer();
const steps = [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', 'npx', ['eslint', '.', '--max-warnings=0']],
  ['format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']],
  ['build', 'npx', ['electron-vite', 'build']],
  ['unit + integration tests', 'npx', ['vitest', 'run']],
  ['end-to-end tests', 'npx', ['playwright', 'test']],
];
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const code = run(command, args, { cwd: root, env: { ...process.env, OVERSEER_CHROMIUM: CHROMIUM } });
  if (code !== 0) {
    console.error(`\noverseer: ${name} failed (exit ${code}).`);
    process.exit(code);
  }
}
console.log('\nAll checks passed.');
