// Installs the npm dependencies when they are missing or older than package-lock.json, so the
// README's commands work on a fresh clone. Plain Node: runs before node_modules exists.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

export function ensureDeps(root) {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.overseer-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return;
  const modules = join(root, 'node_modules');
  if (existsSync(modules) && lstatSync(modules).isSymbolicLink()) {
    // npm ci empties node_modules first: through a link that would wipe another checkout's install.
    console.error(
      'overseer: node_modules is a symbolic link and does not match package-lock.json; refusing to run npm ci through it. Install in the checkout it points to, or replace the link with a real folder.',
    );
    process.exit(1);
  }
  console.log('overseer: installing dependencies (npm ci; better-sqlite3 compiles from source, about a minute)…');
  const env = { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' };
  if (run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, env }) !== 0) {
    console.error(
      'overseer: npm ci failed (see above). Node 20+, npm, python3, make and g++ are needed to build better-sqlite3.',
    );
    process.exit(1);
  }
  writeFileSync(stamp, hash);
}
