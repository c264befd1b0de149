// Which version of the NATS contract a runner speaks, and what a console leaves off a command for a
// runner that speaks an older one. A runner announces the version in its presence record
// (`contract`); a record without it is from a runner built before versions were announced, the
// oldest. The command contracts are strict (an unknown field is refused), so a console that sends a
// field a runner does not know would have its command refused: instead it drops the fields that
// runner's version does not have, before sending. Each field added to a command a console forwards
// gets a new version here, with the field it added.
import type { CommandChannel } from '../../shared/contract.js';

/** The first contract: no version in the presence record. */
export const OLDEST_CONTRACT = 1;

/** Fields added to forwarded commands, by the contract version that added them. */
const ADDED_FIELDS: readonly { since: number; channel: CommandChannel; field: string }[] = [
  // The console that decided, so every console sees who it was.
  { since: 2, channel: 'permission.decide', field: 'decidedBy' },
  // How many goals to list (a runner from before lists its newest 500).
  { since: 3, channel: 'goals.list', field: 'limit' },
];

/** The contract version this build speaks (announced by its runners, spoken by its consoles). */
export const NATS_CONTRACT = Math.max(OLDEST_CONTRACT, ...ADDED_FIELDS.map((added) => added.since));

/** A presence record's version: missing (or unusable) means the oldest. */
export function contractOf(announced: number | undefined): number {
  return announced !== undefined && Number.isInteger(announced) && announced >= OLDEST_CONTRACT
    ? announced
    : OLDEST_CONTRACT;
}

/**
 * `payload` as a runner speaking `contract` accepts it: the fields of `channel` added after that
 * version are left off (a new object; `payload` itself is never changed). Anything else is
 * returned as it is.
 */
export function payloadForContract(contract: number, channel: CommandChannel, payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const unknownHere = ADDED_FIELDS.filter(
    (added) => added.channel === channel && added.since > contract && Object.hasOwn(payload, added.field),
  );
  if (unknownHere.length === 0) return payload;
  const trimmed: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  for (const added of unknownHere) delete trimmed[added.field];
  return trimmed;
}
