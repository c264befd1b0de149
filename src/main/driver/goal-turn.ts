// Running one turn of the goal loop (docs/driver.md, "The goal loop" steps 5-7): the pre-turn
// checkpoint, a stop that arrived while it was taken (the turn is skipped), the attempt, and the
// post-turn checkpoint with the turn's diff, started as soon as Claude is done so that it overlaps the
// acceptance checks. A failed checkpoint or diff is a `driver_warning`, never an error of the turn.
import type { BudgetUsage, DiffStat, Goal } from '../../shared/domain/goal.js';
import { emptyOutput, TurnStop, type AttemptRunOutput, type OperatorWait } from './attempt-port.js';
import type { GoalLoopContext } from './goal-loop-context.js';
import { continueBecause } from './turn-verdict.js';
import { errorText } from './error-text.js';

export interface Checkpoints {
  pre: string | null;
  post: string | null;
  diffStat: DiffStat | null;
}

export async function runTurn(
  ctx: GoalLoopContext,
  turnIndex: number,
  prompt: string,
  compact: boolean,
  usage: BudgetUsage,
): Promise<{ output: AttemptRunOutput; checkpoints: Checkpoints; skipped: boolean }> {
  const { goal, state } = ctx;
  const checkpoints: Checkpoints = { pre: null, post: null, diffStat: null };
  const takeCheckpoints = !compact && ctx.workspace.kind !== 'no_git';
  state.turnActive = true;
  const stop = new TurnStop();
  try {
    if (takeCheckpoints) checkpoints.pre = await checkpoint(ctx, turnIndex, 'pre', null);
    // A "stop this turn" that arrived while the turn was being prepared (its note is not in this
    // prompt): the turn does not start, the caller offers its notes again with the new one. A compact
    // turn keeps it for the work turn that carries the note.
    if (state.stopPending && !compact && !state.cancelled) {
      state.stopPending = false;
      return { output: skippedOutput(usage), checkpoints, skipped: true };
    }
    if (state.cancelled) stop.stop('cancel');
    state.currentTurn = stop;
    ctx.permission.setTurn(turnIndex);
    // The post-turn checkpoint starts as soon as Claude is done, so its commit, ref, diff and event
    // overlap the acceptance checks. Checks that can write files (shell commands) wait until the
    // working tree has been read: the checkpoint holds the turn's files, never half of what a
    // check wrote, and every check sees the turn's files exactly as before.
    let post: Promise<string | null> | null = null;
    const startPost = (): Promise<void> => {
      if (!takeCheckpoints || post !== null) return Promise.resolve();
      let snapshotRead: () => void = () => undefined;
      const read = new Promise<void>((resolve) => (snapshotRead = resolve));
      post = checkpoint(ctx, turnIndex, 'post', checkpoints, snapshotRead);
      if (!acceptanceMayWrite(goal)) return Promise.resolve();
      return Promise.race([read, post.then(() => undefined)]);
    };
    let output: AttemptRunOutput;
    try {
      output = await ctx.runner.run({
        goal,
        workspace: ctx.workspace,
        turnIndex,
        usage,
        prompt,
        compact,
        mcpConfigPath: ctx.mcpConfigPath,
        stop,
        operator: operatorWait(ctx),
        prompts: ctx.permission,
        beforeAcceptance: startPost,
      });
    } finally {
      state.currentTurn = null;
      ctx.permission.setTurn(null);
    }
    if (takeCheckpoints) checkpoints.post = await (post ?? checkpoint(ctx, turnIndex, 'post', checkpoints));
    return { output, checkpoints, skipped: false };
  } finally {
    state.turnActive = false;
  }
}

/** True when a check of the goal may write to the working tree (a shell command may; the others only read). */
function acceptanceMayWrite(goal: Goal): boolean {
  return goal.acceptance.some((criterion) => criterion.kind === 'shell_command');
}

/** Takes a snapshot and publishes a `checkpoint` event; a failure is a warning and gives null. */
async function checkpoint(
  ctx: GoalLoopContext,
  turnIndex: number,
  phase: 'pre' | 'post',
  pre: Checkpoints | null,
  onSnapshot?: () => void,
): Promise<string | null> {
  try {
    const cp = await ctx.workspaces.checkpoint(
      ctx.workspace,
      turnIndex,
      phase,
      onSnapshot === undefined ? undefined : { onSnapshot },
    );
    let diffStat: DiffStat | null = null;
    if (pre !== null && pre.pre !== null) {
      try {
        diffStat = await ctx.workspaces.diffStat(ctx.workspace, pre.pre, cp.sha);
        pre.diffStat = diffStat;
      } catch (error) {
        ctx.publish({
          kind: 'driver_warning',
          goalId: ctx.goal.id,
          message: `diff of turn ${turnIndex} failed: ${errorText(error)}`,
        });
      }
    }
    ctx.publish({ kind: 'checkpoint', goalId: ctx.goal.id, turnIndex, phase, ref: cp.ref, sha: cp.sha, diffStat });
    return cp.sha;
  } catch (error) {
    ctx.publish({
      kind: 'driver_warning',
      goalId: ctx.goal.id,
      message: `${phase}-turn checkpoint of turn ${turnIndex} failed: ${errorText(error)}`,
    });
    return null;
  }
}

/** The output of a turn that was stopped before Claude started: nothing ran, nothing was used. */
function skippedOutput(usage: BudgetUsage): AttemptRunOutput {
  return { ...emptyOutput(usage), outcome: continueBecause('stopped_by_operator') };
}

/** What the attempt needs to know about operator waits of the goal (its idle clock stops meanwhile). */
function operatorWait(ctx: GoalLoopContext): OperatorWait {
  const permission = ctx.permission;
  return {
    awaitingOperator: () => permission.awaitingOperator?.() ?? false,
    onDecision: (listener) => permission.onDecision(() => listener()),
  };
}
