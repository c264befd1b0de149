// Syntax highlighting for the diff viewer: the language of a file guessed from its name, and a
// refractor with only the languages we register (refractor/core brings markup, CSS, C-like and
// JavaScript; the rest are added here one by one, so the bundle holds no grammar we never use).
import { markEdits, tokenize, type HunkData, type HunkTokens } from 'react-diff-view';
import refractor from 'refractor/core';
import bash from 'refractor/lang/bash';
import go from 'refractor/lang/go';
import java from 'refractor/lang/java';
import json from 'refractor/lang/json';
import markdown from 'refractor/lang/markdown';
import python from 'refractor/lang/python';
import rust from 'refractor/lang/rust';
import toml from 'refractor/lang/toml';
import tsx from 'refractor/lang/tsx';
import typescript from 'refractor/lang/typescript';
import yaml from 'refractor/lang/yaml';

for (const syntax of [bash, go, java, json, markdown, python, rust, toml, typescript, tsx, yaml]) {
  refractor.register(syntax);
}

export { refractor };

/** File extensions (lower case, without the dot) and the registered language each is highlighted as. */
const LANGUAGE_BY_EXTENSION: Readonly<Record<string, string>> = {
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'jsx',
  json: 'json',
  css: 'css',
  html: 'markup',
  htm: 'markup',
  xml: 'markup',
  svg: 'markup',
  md: 'markdown',
  markdown: 'markdown',
  py: 'python',
  rs: 'rust',
  go: 'go',
  java: 'java',
  sh: 'bash',
  bash: 'bash',
  zsh: 'bash',
  yaml: 'yaml',
  yml: 'yaml',
  toml: 'toml',
};

/** The language to highlight a file as, from its name's extension; null when we have no grammar for it. */
export function languageOfPath(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  const language = LANGUAGE_BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
  return language !== undefined && refractor.registered(language) ? language : null;
}

/** Patches longer than this are shown without word marks or highlighting (tokenizing them costs too much). */
const TOKENIZE_MAX_LINES = 3000;

/**
 * The tokens react-diff-view paints a file's hunks with: changed words marked (markEdits) and, when
 * the file's language is known, syntax highlighted. Null (plain lines) for an empty or too long patch;
 * a highlighter error falls back to word marks alone.
 */
export function hunkTokens(hunks: HunkData[], path: string): HunkTokens | null {
  const lines = hunks.reduce((sum, hunk) => sum + hunk.changes.length, 0);
  if (lines === 0 || lines > TOKENIZE_MAX_LINES) return null;
  const enhancers = [markEdits(hunks, { type: 'block' })];
  const language = languageOfPath(path);
  if (language !== null) {
    try {
      return tokenize(hunks, { highlight: true, refractor, language, enhancers });
    } catch {
      // fall through to word marks alone
    }
  }
  try {
    return tokenize(hunks, { enhancers });
  } catch {
    return null;
  }
}
