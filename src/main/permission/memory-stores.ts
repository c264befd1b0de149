// In-memory PermissionRecordStore and RuleStore: for unit tests, benchmarks and runs that keep nothing
// (the SQLite ones live in src/main/store). Records are copied in and out so callers cannot alias them.
import type {
  DecidedBy,
  PermissionDecision,
  PermissionRecord,
  PermissionRequest,
  PermissionRule,
} from '../../shared/domain/permission.js';
import type { PermissionRecordStore, RuleStore } from './ports.js';

export class MemoryPermissionRecordStore implements PermissionRecordStore {
  private readonly records = new Map<string, PermissionRecord>();

  insertPending(request: PermissionRequest): void {
    if (this.records.has(request.id)) throw new Error(`permission request ${request.id} already exists`);
    this.records.set(request.id, {
      request: structuredClone(request),
      status: 'pending',
      decision: null,
      decidedBy: null,
      decidedAt: null,
    });
  }

  recordDecision(requestId: string, decision: PermissionDecision, decidedBy: DecidedBy, decidedAt: string): void {
    const record = this.records.get(requestId);
    if (record === undefined) throw new Error(`unknown permission request ${requestId}`);
    this.records.set(requestId, {
      ...record,
      status: 'decided',
      decision: structuredClone(decision),
      decidedBy: structuredClone(decidedBy),
      decidedAt,
    });
  }

  get(requestId: string): PermissionRecord | null {
    const record = this.records.get(requestId);
    return record === undefined ? null : structuredClone(record);
  }

  listPending(): PermissionRecord[] {
    return [...this.records.values()].filter((r) => r.status === 'pending').map((r) => structuredClone(r));
  }

  listRecent(limit: number): PermissionRecord[] {
    return [...this.records.values()]
      .slice(-limit)
      .reverse()
      .map((r) => structuredClone(r));
  }

  expireAllPending(at: string): number {
    let count = 0;
    for (const [id, record] of this.records) {
      if (record.status !== 'pending') continue;
      this.records.set(id, { ...record, status: 'expired', decidedBy: { kind: 'expired' }, decidedAt: at });
      count++;
    }
    return count;
  }

  /** Every record, oldest first (tests). */
  all(): PermissionRecord[] {
    return [...this.records.values()].map((r) => structuredClone(r));
  }
}

export class MemoryRuleStore implements RuleStore {
  private readonly rules: PermissionRule[] = [];

  constructor(initial: readonly PermissionRule[] = []) {
    for (const rule of initial) this.add(rule);
  }

  list(): PermissionRule[] {
    return this.rules.map((r) => structuredClone(r));
  }

  add(rule: PermissionRule): void {
    if (this.rules.some((r) => r.id === rule.id)) throw new Error(`rule ${rule.id} already exists`);
    this.rules.push(structuredClone(rule));
  }

  delete(ruleId: string): boolean {
    const index = this.rules.findIndex((r) => r.id === ruleId);
    if (index === -1) return false;
    this.rules.splice(index, 1);
    return true;
  }
}
