// Persistence the permission broker needs: pending requests and decisions (the audit log) and
// stored rules. Implemented over SQLite by src/main/store; an in-memory one serves unit tests.
import type {
  DecidedBy,
  PermissionDecision,
  PermissionRecord,
  PermissionRequest,
  PermissionRule,
} from '../../shared/domain/permission.js';

export interface PermissionRecordStore {
  insertPending(request: PermissionRequest): void;
  recordDecision(requestId: string, decision: PermissionDecision, decidedBy: DecidedBy, decidedAt: string): void;
  get(requestId: string): PermissionRecord | null;
  listPending(): PermissionRecord[];
  /**
   * Optional (added by the permission path): the most recent records, newest first, any status.
   * Used to preview which past requests a rule would match; without it the preview covers the
   * requests this host saw since it started.
   */
  listRecent?(limit: number): PermissionRecord[];
  /** At start: every request still pending belonged to a dead host; mark them expired. Returns how many. */
  expireAllPending(at: string): number;
}

export interface RuleStore {
  list(): PermissionRule[];
  add(rule: PermissionRule): void;
  delete(ruleId: string): boolean;
}
