// Persistence the permission broker needs: pending requests and decisions (the audit log) and
// stored rules. Implemented over SQLite by src/main/store (tests use the same stores on ':memory:').
import type {
  DecidedBy,
  PermissionDecision,
  PermissionRecord,
  PermissionRequest,
  PermissionRule,
} from '../../shared/domain/permission.js';

export interface PermissionRecordStore {
  insertPending(request: PermissionRequest): void;
  /**
   * Records a request together with the decision it got at once (from a rule or the goal's mode): one
   * write instead of a pending row and then its decision. Throws when it cannot be recorded.
   */
  insertDecided(
    request: PermissionRequest,
    decision: PermissionDecision,
    decidedBy: DecidedBy,
    decidedAt: string,
  ): void;
  recordDecision(requestId: string, decision: PermissionDecision, decidedBy: DecidedBy, decidedAt: string): void;
  get(requestId: string): PermissionRecord | null;
  listPending(): PermissionRecord[];
  /** The most recent records, newest first, any status (to preview which past requests a rule would match). */
  listRecent(limit: number): PermissionRecord[];
  /** At start: every request still pending belonged to a dead host; mark them expired. Returns how many. */
  expireAllPending(at: string): number;
}

export interface RuleStore {
  list(): PermissionRule[];
  add(rule: PermissionRule): void;
  delete(ruleId: string): boolean;
}
