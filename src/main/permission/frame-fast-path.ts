// Plain-code readers for the frames every permission prompt carries (a `decide` frame to the host;
// `accepted` and `decision` frames back to the bridge). Each returns the frame exactly as its zod
// schema in frames.ts would (same fields, same defaults, unknown fields dropped), or null whenever
// the input is anything but the ordinary case; the caller then parses it with zod, which also words
// the error. zod spent about 20–30 µs per frame here, and three frames cross for each prompt.
// tests/unit/permission/frame-fast-path.test.ts checks these readers against the zod schemas.
import type { PermissionDecision } from '../../shared/domain/permission.js';
import type { ClientFrame, ServerFrame, ToolCall } from './frames.js';

type DecideFrame = Extract<ClientFrame, { kind: 'decide' }>;

/** A JSON object (not an array, not null), as zod's object and record schemas accept it. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A JSON object whose keys can be copied as they are. zod copies a record key by key, and a copied
 * "__proto__" key would become the copy's prototype, not a field: such input goes to zod.
 */
export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return isJsonObject(value) && !Object.hasOwn(value, '__proto__');
}

function isStringOfLength(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}

/** ToolCallSchema's output, or null. */
export function readToolCall(value: unknown): ToolCall | null {
  if (!isJsonObject(value)) return null;
  const toolName = value['toolName'];
  const input = value['input'];
  const toolUseId = value['toolUseId'];
  if (!isStringOfLength(toolName, 1, Number.MAX_SAFE_INTEGER) || !isPlainRecord(input)) return null;
  if (toolUseId !== undefined && typeof toolUseId !== 'string') return null;
  return { toolName, input, toolUseId: toolUseId ?? '' };
}

/** A `decide` frame as ClientFrameSchema reads it, or null (any other kind, or anything unusual). */
export function readDecideFrame(json: unknown): DecideFrame | null {
  if (!isJsonObject(json) || json['v'] !== 1 || json['kind'] !== 'decide') return null;
  const id = json['id'];
  const goalId = json['goalId'];
  const secret = json['secret'];
  if (!isStringOfLength(id, 1, 128) || !isStringOfLength(goalId, 1, 128) || !isStringOfLength(secret, 1, 512)) {
    return null;
  }
  const call = readToolCall(json['call']);
  if (call === null) return null;
  return { v: 1, kind: 'decide', id, goalId, secret, call };
}

/** PermissionDecisionSchema's output, or null. */
export function readDecision(value: unknown): PermissionDecision | null {
  if (!isJsonObject(value)) return null;
  const behavior = value['behavior'];
  if (behavior === 'allow') {
    const updatedInput = value['updatedInput'];
    return isPlainRecord(updatedInput) ? { behavior: 'allow', updatedInput } : null;
  }
  if (behavior === 'deny') {
    const message = value['message'];
    const interrupt = value['interrupt'];
    if (typeof message !== 'string' || (interrupt !== undefined && typeof interrupt !== 'boolean')) return null;
    return { behavior: 'deny', message, interrupt: interrupt ?? false };
  }
  return null;
}

/** An `accepted` or `decision` frame as ServerFrameSchema reads it, or null (errors go to zod). */
export function readAnswerFrame(json: unknown): ServerFrame | null {
  if (!isJsonObject(json) || json['v'] !== 1) return null;
  const kind = json['kind'];
  const id = json['id'];
  if (!isStringOfLength(id, 1, 128)) return null;
  if (kind === 'accepted') return { v: 1, kind: 'accepted', id };
  if (kind !== 'decision') return null;
  const decision = readDecision(json['decision']);
  return decision === null ? null : { v: 1, kind: 'decision', id, decision };
}
