// How integration tests launch the real Claude Code CLI against the fake model: the binary's path,
// the environment that points it at the fake API and keeps it offline, and a fixed-sequence script helper.
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeReply, FakeRequestContext, FakeScript } from './server.js';

/**
 * The Claude Code binary every integration and end-to-end test runs: $OVERSEER_CLAUDE_BIN when set
 * (how `npm run test:compat` runs the suite against the newest release, the same variable users
 * set), else node_modules/.bin/claude of the checkout (the pinned release).
 */
export const claudeBin: string =
  process.env['OVERSEER_CLAUDE_BIN'] !== undefined && process.env['OVERSEER_CLAUDE_BIN'].trim() !== ''
    ? process.env['OVERSEER_CLAUDE_BIN']
    : fileURLToPath(new URL('../../node_modules/.bin/claude', import.meta.url));

/** Credentials from the real environment that must never reach a test run. */
const STRIPPED_VARIABLES = [
  'ANTHROPIC_AUTH_TOKEN',
  'CLAUDE_CODE_OAUTH_TOKEN',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
];

/**
 * A home directory of the test's own, beside `configDir`: Claude's Bash tool starts a login shell,
 * and the machine's own ~/.bashrc (pyenv init, say) must neither slow every tool call down nor leave
 * locks behind when a test kills the shell. It keeps the machine's git identity through an include.
 */
function testHome(configDir: string): string {
  const home = `${configDir}-home`;
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, '.gitconfig'), `[include]\n\tpath = ${join(homedir(), '.gitconfig')}\n`);
  return home;
}

/** process.env plus the variables that make the CLI talk only to the fake model at `baseUrl`. */
export function claudeEnv(opts: { baseUrl: string; configDir: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STRIPPED_VARIABLES) delete env[name];
  return {
    ...env,
    HOME: testHome(opts.configDir),
    ANTHROPIC_BASE_URL: opts.baseUrl,
    ANTHROPIC_API_KEY: 'sk-test',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CONFIG_DIR: opts.configDir,
    CLAUDE_CODE_MAX_RETRIES: '2',
  };
}

export type FakeStep = FakeReply | ((ctx: FakeRequestContext) => FakeReply | Promise<FakeReply>);

/** Text answered once the steps run out. */
export const DONE_TEXT = 'done';

/**
 * A script that answers main-loop request i (ctx.index) with steps[i], then `{ text: DONE_TEXT }`.
 * Note: an httpError step consumes its index, so a retried request gets the next step.
 */
export function scriptSteps(steps: readonly FakeStep[]): FakeScript {
  return async (ctx) => {
    const step = steps[ctx.index];
    if (step === undefined) return { text: DONE_TEXT };
    return typeof step === 'function' ? step(ctx) : step;
  };
}
