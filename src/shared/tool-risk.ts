// Risk badges for a tool call waiting for approval: what a careful reviewer would want to see
// before pressing Allow (recursive deletes, force pushes, a download piped into a shell, writes
// outside the goal's workspace, network access). Pure and best effort: a badge is a prompt to
// read the call closely, never a verdict; a missing badge proves nothing.
import { isInsideWorkspace } from './workspace-paths.js';
import { stringField } from './tool-input.js';

export type RiskKind = 'recursive_delete' | 'force_push' | 'pipe_to_shell' | 'outside_workspace' | 'network' | 'root';

export interface RiskBadge {
  kind: RiskKind;
  /** Short label for the badge. */
  label: string;
  /** What triggered it, for the badge's title. */
  detail: string;
}

const LABELS: Record<RiskKind, string> = {
  recursive_delete: 'recursive delete',
  force_push: 'force push',
  pipe_to_shell: 'download piped to a shell',
  outside_workspace: 'outside the worktree',
  network: 'network',
  root: 'runs as root',
};

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'python', 'python3', 'perl', 'ruby', 'node']);
const DOWNLOADERS = new Set(['curl', 'wget']);
const NETWORK_PROGRAMS = new Set([
  'curl',
  'wget',
  'ssh',
  'scp',
  'sftp',
  'rsync',
  'nc',
  'ncat',
  'netcat',
  'telnet',
  'ftp',
  'http',
  'https',
  'gh',
]);
const GIT_NETWORK = new Set(['push', 'pull', 'fetch', 'clone', 'ls-remote', 'remote']);
const PREFIXES = new Set(['sudo', 'doas', 'env', 'time', 'nice', 'nohup', 'exec', 'command', 'xargs']);
const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

interface Segment {
  words: string[];
  /** The separator before this segment ('|' for a pipeline stage). */
  after: string;
}

/** Splits a command line on ; && || | & and newlines (quotes respected), into words per segment. */
function segments(command: string): Segment[] {
  const result: Segment[] = [];
  let words: string[] = [];
  let word = '';
  let quote: '"' | "'" | null = null;
  let after = '';
  const endWord = () => {
    if (word !== '') words.push(word);
    word = '';
  };
  const endSegment = (separator: string) => {
    endWord();
    if (words.length > 0) result.push({ words, after });
    words = [];
    after = separator;
  };
  for (let i = 0; i < command.length; i++) {
    const char = command[i] ?? '';
    if (quote !== null) {
      if (char === quote) quote = null;
      else word += char;
      continue;
    }
    if (char === '"' || char === "'") quote = char;
    else if (char === '\\' && i + 1 < command.length) word += command[++i] ?? '';
    else if (char === ' ' || char === '\t') endWord();
    else if (char === '\n' || char === ';') endSegment(';');
    else if (char === '|' || char === '&') {
      const doubled = command[i + 1] === char;
      if (doubled) i++;
      endSegment(doubled ? char + char : char);
    } else word += char;
  }
  endSegment('');
  return result;
}

/** The program a segment runs (after VAR=value assignments and prefixes such as sudo), its arguments, and whether sudo was used. */
function program(words: readonly string[]): { name: string; args: string[]; root: boolean } {
  let index = 0;
  let root = false;
  while (index < words.length) {
    const word = words[index] ?? '';
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) index++;
    else if (PREFIXES.has(word)) {
      if (word === 'sudo' || word === 'doas') root = true;
      index++;
      while ((words[index] ?? '').startsWith('-')) index++;
    } else break;
  }
  const name = (words[index] ?? '').split('/').pop() ?? '';
  return { name, args: words.slice(index + 1), root };
}

function isRecursiveDelete(name: string, args: readonly string[]): boolean {
  if (name === 'rm') return args.some((arg) => arg === '--recursive' || /^-[a-zA-Z]*[rR]/.test(arg));
  if (name === 'find') return args.includes('-delete');
  if (name === 'git') return args[0] === 'clean' && args.some((arg) => /^-[a-zA-Z]*f/.test(arg) || arg === '--force');
  return false;
}

function isForcePush(name: string, args: readonly string[]): boolean {
  if (name !== 'git') return false;
  if (gitSubcommand(args) !== 'push') return false;
  const push = args.indexOf('push');
  return args
    .slice(push + 1)
    .some(
      (arg) =>
        arg === '--force' ||
        arg.startsWith('--force-with-lease') ||
        arg === '--mirror' ||
        /^-[a-zA-Z]*f/.test(arg) ||
        /^\+[^+]/.test(arg),
    );
}

function gitSubcommand(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-C' || arg === '-c') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return null;
}

/** Redirection targets and tee arguments that are absolute or home paths. */
function writtenPaths(command: string): string[] {
  const paths: string[] = [];
  for (const match of command.matchAll(/(?:^|[^0-9&<>])>>?\s*([~/][^\s;|&<>)]*)/g))
    if (match[1] !== undefined) paths.push(match[1]);
  for (const match of command.matchAll(/\btee\s+(?:-[a-z]+\s+)*([~/][^\s;|&<>)]*)/g))
    if (match[1] !== undefined) paths.push(match[1]);
  return paths.filter((path) => !path.startsWith('/dev/'));
}

function add(badges: RiskBadge[], kind: RiskKind, detail: string): void {
  if (!badges.some((badge) => badge.kind === kind)) badges.push({ kind, label: LABELS[kind], detail });
}

function bashRisks(command: string, workspace: string | null, badges: RiskBadge[]): void {
  const parts = segments(command);
  // Whether the pipeline this segment belongs to downloads something in an earlier stage.
  let pipelineDownloads = false;
  for (const part of parts) {
    const { name, args, root } = program(part.words);
    const text = part.words.join(' ');
    if (part.after !== '|') pipelineDownloads = false;
    if (root) add(badges, 'root', text);
    if (isRecursiveDelete(name, args)) add(badges, 'recursive_delete', text);
    if (isForcePush(name, args)) add(badges, 'force_push', text);
    if (pipelineDownloads && SHELLS.has(name)) add(badges, 'pipe_to_shell', text);
    if (DOWNLOADERS.has(name)) pipelineDownloads = true;
    if (NETWORK_PROGRAMS.has(name) || (name === 'git' && GIT_NETWORK.has(gitSubcommand(args) ?? '')))
      add(badges, 'network', text);
  }
  // sh -c "$(curl …)" and bash <(curl …)
  if (/\b(?:sh|bash|zsh)\b[^|;&]*(?:\$\(|<\(|`)\s*(?:curl|wget)\b/.test(command)) add(badges, 'pipe_to_shell', command);
  for (const path of writtenPaths(command)) {
    const outside = path.startsWith('~') || (workspace !== null && !isInsideWorkspace(path, workspace));
    if (outside) add(badges, 'outside_workspace', `writes ${path}`);
  }
}

/**
 * The risk badges of a tool call. `workspace` is the goal's worktree (absolute); without it the
 * "outside the worktree" check is skipped for file tools.
 */
export function toolRisks(toolName: string, input: Record<string, unknown>, workspace: string | null): RiskBadge[] {
  const badges: RiskBadge[] = [];
  const name = toolName.replace(/^mcp__[^_]+__/, '');
  if (name === 'Bash') {
    bashRisks(stringField(input, 'command') ?? '', workspace, badges);
  } else if (FILE_TOOLS.has(name)) {
    const path = stringField(input, 'file_path') ?? stringField(input, 'notebook_path') ?? stringField(input, 'path');
    if (path !== null && workspace !== null && !isInsideWorkspace(path, workspace))
      add(badges, 'outside_workspace', `${name} ${path}`);
  } else if (name === 'WebFetch' || name === 'WebSearch') {
    add(badges, 'network', stringField(input, 'url') ?? stringField(input, 'query') ?? name);
  }
  return badges;
}
