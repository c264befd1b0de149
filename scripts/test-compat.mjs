// `npm run test:compat [-- [--version X] [--keep] [--skip-build] [test paths...]]`: installs the newest
// published @anthropic-ai/claude-code (or version X) into a temporary folder and runs the
// integration suite (or the given test paths) against it through OVERSEER_CLAUDE_BIN, the variable
// users set to point Overseer at their own Claude Code. Prints the version tried and the result;
// record it in the README's "Claude Code versions" section.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE = '@anthropic-ai/claude-code';

function parse(argv) {
  const options = { version: null, keep: false, build: true, paths: [] };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index];
    if (arg === '--version') options.version = argv[++index] ?? null;
    else if (arg === '--keep') options.keep = true;
    else if (arg === '--skip-build') options.build = false;
    else options.paths.push(arg);
  }
  if (options.paths.length === 0) options.paths.push('tests/integration');
  return options;
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function output(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return result.status === 0 ? result.stdout.trim() : null;
}

const options = parse(process.argv.slice(2));
const version = options.version ?? output('npm', ['view', PACKAGE, 'version']);
if (version === null || version === '') {
  console.error(`test:compat: could not ask the npm registry for the newest ${PACKAGE} (npm view failed).`);
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'overseer-compat-'));
let code = 1;
try {
  console.log(`test:compat: installing ${PACKAGE}@${version} into ${dir}…`);
  if (run('npm', ['install', '--prefix', dir, '--no-audit', '--no-fund', '--no-save', `${PACKAGE}@${version}`]) !== 0) {
    console.error('test:compat: npm install failed.');
    process.exit(1);
  }
  const claude = join(dir, 'node_modules', '.bin', 'claude');
  let reported = existsSync(claude) ? output(claude, ['--version']) : null;
  if (reported === null) {
    // Releases that fetch a native binary in postinstall: npm may have skipped the script.
    run('node', ['install.cjs'], { cwd: join(dir, 'node_modules', ...PACKAGE.split('/')) });
    reported = existsSync(claude) ? output(claude, ['--version']) : null;
  }
  if (reported === null) {
    console.error(`test:compat: ${claude} does not run (\`--version\` failed).`);
    process.exit(1);
  }
  console.log(`test:compat: claude --version → ${reported}`);
  if (options.build && run('npx', ['electron-vite', 'build'], { cwd: root }) !== 0) {
    console.error('test:compat: the build failed.');
    process.exit(1);
  }
  code = run('npx', ['vitest', 'run', ...options.paths], {
    cwd: root,
    env: { ...process.env, OVERSEER_CLAUDE_BIN: claude },
  });
  console.log(
    `\ntest:compat: Claude Code ${reported} — ${options.paths.join(' ')}: ${code === 0 ? 'PASSED' : `FAILED (exit ${code})`}`,
  );
} finally {
  if (options.keep) console.log(`test:compat: kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exit(code);
