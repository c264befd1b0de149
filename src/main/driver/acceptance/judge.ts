// The `llm_judge` acceptance check: one read-only Claude Code call (`claude -p`, the same binary and
// environment as the goal's turns) given the goal, the criteria text and the goal's cumulative diff.
// It may read the workspace (Read, Grep, Glob) and nothing else: write and shell tools are neither
// offered nor allowed, no MCP server and no permission tool are loaded, the session is not kept.
// It must end its answer with a line `PASS: <reason>` or `FAIL: <reason>`; anything else fails the
// criterion with a message saying what came back. Its cost and tokens are reported so the goal's
// budget counts them.
import { ClaudeTurn, loadProcessSpawner } from '../claude-process.js';
import { parseStreamLine, resultErrorText, resultTokens, type ResultLine } from '../stream.js';

export const JUDGE_TOOLS = ['Read', 'Grep', 'Glob'] as const;
/** Tools refused outright (on top of not being offered), should a release offer them anyway. */
export const JUDGE_DISALLOWED_TOOLS = [
  'Bash',
  'Edit',
  'MultiEdit',
  'Write',
  'NotebookEdit',
  'WebFetch',
  'WebSearch',
  'Task',
] as const;
/** First words of every judge prompt (lets a scripted model recognise a judge call). */
export const JUDGE_PROMPT_OPENING = 'You are the acceptance judge for a coding goal.';

export interface JudgeConfig {
  claudeBin: string;
  /** Claude's environment (the same as for turns). */
  env: NodeJS.ProcessEnv;
  /** --setting-sources for the call; null omits the flag. */
  settingSources: string | null;
  /** The whole call's time limit (default 5 min). */
  timeoutMs?: number;
  /** SIGINT → SIGKILL grace when it is stopped (default 5 s). */
  killGraceMs?: number;
  /** Model-side turns the judge may take to read files (default 12). */
  maxTurns?: number;
}

export interface JudgeInput {
  goalDescription: string;
  criterionText: string;
  /** The cumulative diff since the goal's base ('' when nothing changed). */
  diff: string;
  diffTruncated: boolean;
  changedPaths: readonly string[];
  /** The workspace (the judge's cwd: what it may read). */
  cwd: string;
  model: string | null;
  signal?: AbortSignal | undefined;
}

export interface JudgeOutcome {
  /** error: no verdict could be had (the criterion fails with the message). */
  verdict: 'pass' | 'fail' | 'error';
  message: string;
  /** What the judge answered (cut), for the failure's evidence. */
  answer: string;
  costUsd: number;
  tokens: number;
}

export function judgePrompt(
  input: Pick<JudgeInput, 'goalDescription' | 'criterionText' | 'diff' | 'diffTruncated' | 'changedPaths'>,
): string {
  const diff = input.diff.trim() === '' ? '(no changes since the goal started)' : input.diff;
  return [
    `${JUDGE_PROMPT_OPENING} Decide whether the work done so far meets the criteria below.`,
    'You may read files in the working directory (Read, Grep, Glob) to check; you cannot change anything.',
    '',
    '# Goal',
    input.goalDescription.trim(),
    '',
    '# Criteria to judge',
    input.criterionText.trim(),
    '',
    `# Changes since the goal started (${input.changedPaths.length} path${input.changedPaths.length === 1 ? '' : 's'})`,
    '```diff',
    diff,
    '```',
    ...(input.diffTruncated ? ['(The diff was cut; read the files for the rest.)'] : []),
    '',
    'Finish your answer with exactly one line of the form',
    'PASS: <one-sentence reason>',
    'or',
    'FAIL: <one-sentence reason>',
  ].join('\n');
}

export function judgeArgs(
  prompt: string,
  model: string | null,
  config: Pick<JudgeConfig, 'settingSources' | 'maxTurns'>,
): string[] {
  const args = [
    '-p',
    prompt,
    '--output-format',
    'stream-json',
    '--verbose',
    '--tools',
    JUDGE_TOOLS.join(','),
    '--disallowedTools',
    JUDGE_DISALLOWED_TOOLS.join(','),
    '--strict-mcp-config',
    '--no-session-persistence',
    '--max-turns',
    String(config.maxTurns ?? 12),
  ];
  if (model !== null && model !== '') args.push('--model', model);
  if (config.settingSources !== null) args.push('--setting-sources', config.settingSources);
  return args;
}

const VERDICT_LINE = /^[\s>*_`#-]*(PASS|FAIL)\b[\s*_`]*[:\-–—]?\s*(.*)$/i;

/** The judge's verdict from its final text: the last line that starts with PASS or FAIL. */
export function parseJudgeAnswer(text: string): { verdict: 'pass' | 'fail'; reason: string } | null {
  const lines = text.split('\n');
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const match = VERDICT_LINE.exec(lines[index] ?? '');
    if (match === null) continue;
    const reason = (match[2] ?? '').replace(/[*_`]+$/, '').trim();
    return { verdict: match[1]?.toUpperCase() === 'PASS' ? 'pass' : 'fail', reason };
  }
  return null;
}

function excerpt(text: string, limit = 512): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}…`;
}

/** Runs the judge once. Never throws: problems come back as verdict 'error' with a message. */
export async function runJudge(input: JudgeInput, config: JudgeConfig): Promise<JudgeOutcome> {
  const seen: { result: ResultLine | null } = { result: null };
  const turn = new ClaudeTurn(await loadProcessSpawner(), {
    claudeBin: config.claudeBin,
    args: judgeArgs(judgePrompt(input), input.model, config),
    cwd: input.cwd,
    env: { MCP_CONNECTION_NONBLOCKING: 'false', ...config.env },
    timeoutMs: config.timeoutMs ?? 300_000,
    killGraceMs: config.killGraceMs ?? 5000,
    onLine: (line) => {
      const parsed = parseStreamLine(line);
      if (parsed.kind === 'result' && seen.result === null) {
        seen.result = parsed.line;
        turn.resultSeen();
      }
    },
  });
  const onAbort = (): void => turn.stop('cancel');
  if (input.signal?.aborted === true) onAbort();
  input.signal?.addEventListener('abort', onAbort, { once: true });
  const exit = await turn.exited;
  input.signal?.removeEventListener('abort', onAbort);

  const final = seen.result;
  const costUsd = final?.total_cost_usd ?? 0;
  const tokens = final !== null ? resultTokens(final) : 0;
  const spent = { costUsd, tokens };
  if (exit.spawnError !== null)
    return { verdict: 'error', message: `judge unavailable: ${exit.spawnError}`, answer: '', ...spent };
  if (exit.stopReason === 'cancel')
    return { verdict: 'error', message: 'judge stopped: the goal was cancelled', answer: '', ...spent };
  if (exit.stopReason === 'timeout')
    return {
      verdict: 'error',
      message: `judge timed out after ${Math.round((config.timeoutMs ?? 300_000) / 1000)}s`,
      answer: '',
      ...spent,
    };
  if (final === null) {
    const stderr = exit.stderrTail.trim();
    return {
      verdict: 'error',
      message: `judge unavailable: claude exited (code ${exit.exitCode ?? 'none'}) without a result${stderr !== '' ? `: ${excerpt(stderr, 300)}` : ''}`,
      answer: '',
      ...spent,
    };
  }
  const answer = final.result ?? '';
  if (final.is_error || final.subtype !== 'success') {
    return {
      verdict: 'error',
      message: `judge unavailable: ${resultErrorText(final)}`,
      answer: excerpt(answer),
      ...spent,
    };
  }
  const parsed = parseJudgeAnswer(answer);
  if (parsed === null)
    return {
      verdict: 'error',
      message: 'the judge gave no verdict (its answer has no PASS or FAIL line)',
      answer: excerpt(answer),
      ...spent,
    };
  const reason = parsed.reason !== '' ? parsed.reason : '(no reason given)';
  return {
    verdict: parsed.verdict,
    message: parsed.verdict === 'pass' ? `PASS: ${reason}` : `FAIL: ${reason}`,
    answer: excerpt(answer),
    ...spent,
  };
}
