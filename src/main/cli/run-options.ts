// `overseer run` flags: parsed and checked into a goal request, with a message naming the flag
// for every bad value (exit 1).
import { parseArgs } from 'node:util';
import { parseDuration } from '../../shared/domain/duration.js';
import {
  OnBudgetSchema,
  type AcceptanceCriterion,
  type BudgetGuards,
  type GoalTools,
  type OnBudget,
  type PermissionMode,
} from '../../shared/domain/goal.js';
import { acceptanceFlags, ACCEPTANCE_FLAG_OPTIONS, toolFlags, TOOL_FLAG_OPTIONS } from './acceptance-flags.js';
import { loadRulesFile, RulesFileError, type GoalPermissionPolicy } from '../permission/index.js';
import { UsageError } from './usage.js';
import { wholeNumberFlag } from './number-flags.js';
import type { WorktreeSetup } from '../../shared/domain/landing.js';
import { RUNNER_FLAG_OPTIONS, runnerTarget, type RunnerTarget } from './nats-flags.js';

export interface RunOptions {
  repo: string;
  goal: string;
  acceptance: AcceptanceCriterion[];
  budget: Partial<BudgetGuards>;
  model: string | null;
  claude: string | null;
  permissions:
    { kind: 'ask' } | { kind: 'mode'; mode: PermissionMode } | { kind: 'rules'; policy: GoalPermissionPolicy };
  inPlace: boolean;
  tools: GoalTools;
  /** --setup/--copy given: this goal's own setup; null: the repository's stored settings apply. */
  setup: WorktreeSetup | null;
  /** --turn-timeout: ms without output from Claude before a turn is stopped; null = the default. */
  turnTimeoutMs: number | null;
  /** --on-budget: at a turns/wall-time/tokens/cost cap, end (exit 2, the default) or pause and ask here. */
  onBudget: OnBudget;
  json: boolean;
  dataDir: string | null;
  help: boolean;
  /** `--runner NAME`: the goal runs on that runner (over NATS); --repo is a path there. */
  runner: RunnerTarget | null;
}

export function parseRunOptions(argv: string[]): RunOptions {
  const { values, tokens } = parseArgs({
    args: argv,
    tokens: true,
    options: {
      repo: { type: 'string' },
      goal: { type: 'string' },
      ...ACCEPTANCE_FLAG_OPTIONS,
      ...TOOL_FLAG_OPTIONS,
      'max-turns': { type: 'string' },
      'max-tokens': { type: 'string' },
      'max-wall': { type: 'string' },
      'max-cost': { type: 'string' },
      model: { type: 'string' },
      claude: { type: 'string' },
      permissions: { type: 'string', default: 'ask' },
      'in-place': { type: 'boolean', default: false },
      setup: { type: 'string', multiple: true },
      copy: { type: 'string', multiple: true },
      'turn-timeout': { type: 'string' },
      'on-budget': { type: 'string', default: 'end' },
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      ...RUNNER_FLAG_OPTIONS,
    },
    strict: true,
  });
  const base = {
    help: values.help,
    json: values.json,
    dataDir: values['data-dir'] ?? null,
    runner: values.help ? null : runnerTarget(values),
  };
  if (values.help) {
    return {
      ...base,
      repo: '',
      goal: '',
      acceptance: [],
      budget: {},
      model: null,
      claude: null,
      permissions: { kind: 'ask' },
      inPlace: false,
      tools: toolFlags(values),
      setup: null,
      turnTimeoutMs: null,
      onBudget: 'end',
    };
  }
  if (values.repo === undefined || values.repo.trim() === '')
    throw new UsageError('--repo DIR is required (the repository the goal works on)');
  if (values.goal === undefined || values.goal.trim() === '')
    throw new UsageError('--goal TEXT is required (what Claude should achieve)');

  const budget: Partial<BudgetGuards> = {};
  if (values['max-turns'] !== undefined)
    budget.maxTurns = wholeNumberFlag('--max-turns', values['max-turns'], { min: 1 });
  if (values['max-tokens'] !== undefined)
    budget.maxTokens = wholeNumberFlag('--max-tokens', values['max-tokens'], { min: 0 });
  if (values['max-wall'] !== undefined) {
    const wall = parseDuration(values['max-wall']);
    if (!wall.ok) throw new UsageError(`--max-wall: ${wall.error}`);
    budget.maxWallTimeMs = wall.ms;
  }
  if (values['max-cost'] !== undefined) {
    const cost = Number(values['max-cost']);
    if (!Number.isFinite(cost) || cost < 0)
      throw new UsageError(`--max-cost must be an amount in USD such as 2.50, got "${values['max-cost']}"`);
    budget.maxCostUsd = cost;
  }

  let turnTimeoutMs: number | null = null;
  if (values['turn-timeout'] !== undefined) {
    const timeout = parseDuration(values['turn-timeout']);
    if (!timeout.ok) throw new UsageError(`--turn-timeout: ${timeout.error}`);
    turnTimeoutMs = timeout.ms;
  }

  const onBudget = OnBudgetSchema.safeParse(values['on-budget']);
  if (!onBudget.success) throw new UsageError(`--on-budget must be end or pause, got "${values['on-budget']}"`);

  let permissions: RunOptions['permissions'];
  const mode = values.permissions;
  if (mode === 'ask') permissions = { kind: 'ask' };
  else if (mode === 'allow') permissions = { kind: 'mode', mode: 'allow-all' };
  else if (mode === 'deny') permissions = { kind: 'mode', mode: 'deny' };
  else if (mode.startsWith('rules:')) {
    const file = mode.slice('rules:'.length);
    if (file === '') throw new UsageError('--permissions rules:FILE needs a file path');
    try {
      permissions = { kind: 'rules', policy: loadRulesFile(file) };
    } catch (error) {
      if (error instanceof RulesFileError) throw new UsageError(`--permissions: ${error.message}`);
      throw error;
    }
  } else throw new UsageError(`--permissions must be ask, allow, deny or rules:FILE, got "${mode}"`);

  return {
    ...base,
    repo: values.repo,
    goal: values.goal,
    acceptance: acceptanceFlags(tokens),
    budget,
    model: values.model ?? null,
    claude: values.claude ?? null,
    permissions,
    inPlace: values['in-place'],
    tools: toolFlags(values),
    setup: setupFromFlags(values.setup, values.copy),
    turnTimeoutMs,
    onBudget: onBudget.data,
  };
}

function setupFromFlags(setup: string[] | undefined, copy: string[] | undefined): WorktreeSetup | null {
  if (setup === undefined && copy === undefined) return null;
  const commands = (setup ?? []).map((command) => command.trim());
  if (commands.some((command) => command === ''))
    throw new UsageError('--setup needs a command, e.g. --setup "npm ci"');
  const globs = (copy ?? []).map((glob) => glob.trim());
  if (globs.some((glob) => glob === '')) throw new UsageError('--copy needs a glob, e.g. --copy .env');
  return { commands, copy: globs, shared: [] };
}
