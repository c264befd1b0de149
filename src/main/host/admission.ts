// Admission: at most N goals are driven at once (Settings → maximum goals running at once); the
// others wait in a FIFO queue as `queued` and start in order as slots free up. The operator can move
// a queued goal up or cancel it. The order is kept in the settings table so a restart keeps it.
/** Where the queue order survives a restart. */
export interface QueueOrderStore {
  load(): string[];
  save(goalIds: readonly string[]): void;
}

export class AdmissionQueue {
  private readonly order: string[];

  constructor(private readonly store: QueueOrderStore) {
    this.order = [...new Set(store.load())];
  }

  /** Goal ids in start order. */
  list(): string[] {
    return [...this.order];
  }

  has(goalId: string): boolean {
    return this.order.includes(goalId);
  }

  /** 1-based position, or null when not queued. */
  position(goalId: string): number | null {
    const index = this.order.indexOf(goalId);
    return index < 0 ? null : index + 1;
  }

  /** Appends (a goal already queued keeps its place). Returns its position. */
  push(goalId: string): number {
    if (!this.order.includes(goalId)) {
      this.order.push(goalId);
      this.persist();
    }
    return this.order.indexOf(goalId) + 1;
  }

  /** Keeps only the given goals (those still queued in the store), in the saved order, then adds the others. */
  reconcile(queuedGoalIds: readonly string[]): void {
    const wanted = new Set(queuedGoalIds);
    const kept = this.order.filter((id) => wanted.has(id));
    const added = queuedGoalIds.filter((id) => !kept.includes(id));
    this.order.splice(0, this.order.length, ...kept, ...added);
    this.persist();
  }

  /** Takes the first goal; null when empty. */
  shift(): string | null {
    const first = this.order.shift() ?? null;
    if (first !== null) this.persist();
    return first;
  }

  /** false when it was not queued. */
  remove(goalId: string): boolean {
    const index = this.order.indexOf(goalId);
    if (index < 0) return false;
    this.order.splice(index, 1);
    this.persist();
    return true;
  }

  /** Moves a goal one place towards the front. Returns its new position (null when not queued). */
  moveUp(goalId: string): number | null {
    const index = this.order.indexOf(goalId);
    if (index < 0) return null;
    if (index > 0) {
      const before = this.order[index - 1];
      if (before !== undefined) {
        this.order[index - 1] = goalId;
        this.order[index] = before;
        this.persist();
      }
    }
    return Math.max(1, index);
  }

  private persist(): void {
    this.store.save(this.order);
  }
}
