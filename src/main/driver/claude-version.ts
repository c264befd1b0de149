// Which Claude Code releases Overseer was tried with, and reading `claude --version`, so the CLI and
// the console can warn when the installed CLI is older than the oldest release we tried (the README's
// "Claude Code versions" section lists them; `npm run test:compat` tries the newest).
import { execFile } from 'node:child_process';

/** The oldest Claude Code release Overseer's integration suite passed with. */
export const OLDEST_TRIED_CLAUDE_VERSION = '2.1.197';

export type Version = [number, number, number];

/** "2.1.197 (Claude Code)" → [2, 1, 197]; null when the text holds no version. */
export function parseClaudeVersion(text: string): Version | null {
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(text);
  if (match === null) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

export function compareVersions(a: Version, b: Version): number {
  for (let index = 0; index < 3; index += 1) {
    const diff = (a[index] ?? 0) - (b[index] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The warning for a `claude --version` output, or null when the release is one we tried or newer (or unreadable). */
export function claudeVersionWarning(versionText: string): string | null {
  const version = parseClaudeVersion(versionText);
  const oldest = parseClaudeVersion(OLDEST_TRIED_CLAUDE_VERSION);
  if (version === null || oldest === null || compareVersions(version, oldest) >= 0) return null;
  return (
    `Claude Code ${version.join('.')} is older than ${OLDEST_TRIED_CLAUDE_VERSION}, the oldest release Overseer was tried with; ` +
    'update it (`npm install -g @anthropic-ai/claude-code`) if goals misbehave.'
  );
}

/** `claude --version` (its first line), or null when it cannot be run. */
export function readClaudeVersion(claudeBin: string, timeoutMs = 20_000): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(claudeBin, ['--version'], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout) => {
      const text = String(stdout).trim().split('\n')[0] ?? '';
      resolve(error === null && text !== '' ? text : null);
    });
  });
}
