// One queue per goal: the workspace manager's calls for a goal run one at a time (they share the
// goal's private index and refs), while calls for different goals run in parallel.
export class GoalQueue {
  private readonly queues = new Map<string, Promise<unknown>>();

  /** Runs `task` after every earlier call for the same goal has settled. */
  run<T>(goalId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(goalId) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.queues.set(goalId, settled);
    void settled.then(() => {
      if (this.queues.get(goalId) === settled) this.queues.delete(goalId);
    });
    return run;
  }
}
