// The diff viewer's syntax highlighting: the language guessed from a file's name, and the tokens a
// .ts hunk gets (highlight classes) against an unknown extension's (word marks only, no error).
import { parseDiff, type TokenNode } from 'react-diff-view';
import { describe, expect, it } from 'vitest';
import { hunkTokens, languageOfPath } from '../../../src/renderer/features/diff/syntax';

function patchOf(path: string, before: string, after: string): string {
  return [
    `diff --git a/${path} b/${path}`,
    `--- a/${path}`,
    `+++ b/${path}`,
    '@@ -1,2 +1,2 @@',
    ` export const keep = 1;`,
    `-${before}`,
    `+${after}`,
    '',
  ].join('\n');
}

function classesOf(nodes: readonly TokenNode[]): string[] {
  const found: string[] = [];
  const walk = (node: TokenNode): void => {
    if (node.type === 'token' || node.type === 'element') {
      const className: unknown = (node as { properties?: { className?: unknown } }).properties?.className;
      if (Array.isArray(className)) found.push(...className.map(String));
    }
    if (node.type === 'edit') found.push('edit');
    const children: unknown = (node as { children?: unknown }).children;
    if (Array.isArray(children)) for (const child of children as TokenNode[]) walk(child);
  };
  nodes.forEach(walk);
  return found;
}

function allClasses(path: string): string[] {
  const [file] = parseDiff(patchOf(path, 'const greeting: string = "hi";', 'const greeting: string = "hello";'));
  if (file === undefined) throw new Error('no file parsed');
  const tokens = hunkTokens(file.hunks, path);
  if (tokens === null) throw new Error('no tokens');
  return [...tokens.old, ...tokens.new].flatMap((line) => classesOf(line));
}

describe('languageOfPath', () => {
  it('guesses the language from the extension', () => {
    expect(languageOfPath('src/a.ts')).toBe('typescript');
    expect(languageOfPath('src/App.TSX')).toBe('tsx');
    expect(languageOfPath('lib/x.js')).toBe('javascript');
    expect(languageOfPath('package.json')).toBe('json');
    expect(languageOfPath('docs/README.md')).toBe('markdown');
    expect(languageOfPath('main.rs')).toBe('rust');
    expect(languageOfPath('a.b/run.sh')).toBe('bash');
    expect(languageOfPath('ci.yml')).toBe('yaml');
    expect(languageOfPath('Cargo.toml')).toBe('toml');
  });

  it('knows nothing of unknown extensions, dotfiles or extensionless names', () => {
    expect(languageOfPath('notes.xyz')).toBeNull();
    expect(languageOfPath('Makefile')).toBeNull();
    expect(languageOfPath('.gitignore')).toBeNull();
    expect(languageOfPath('dir.ts/Makefile')).toBeNull();
  });
});

describe('hunkTokens', () => {
  it('highlights a .ts hunk and keeps the word marks', () => {
    const classes = allClasses('src/a.ts');
    expect(classes).toContain('keyword');
    expect(classes).toContain('string');
    expect(classes).toContain('edit');
  });

  it('gives an unknown extension word marks only, without highlight classes', () => {
    const classes = allClasses('notes.xyz');
    expect(classes).toContain('edit');
    expect(classes).not.toContain('keyword');
    expect(classes).not.toContain('string');
  });
});
