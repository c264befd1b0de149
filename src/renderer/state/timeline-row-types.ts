// The timeline's row shapes: what one compact row of the timeline holds (long texts cut to a
// preview of PREVIEW_CHARS; the full text is loaded on demand), and what converting one stored
// event yields (a row, or a patch that completes an earlier row).
import type { DecisionSummary } from './decision-words';

export type { DecisionSummary } from './decision-words';

/** Characters of text kept in memory per row; the rest is fetched when the operator asks. */
export const PREVIEW_CHARS = 800;

/**
 * Pages of the timeline are asked for with their long texts cut by the host to one character more
 * than the preview keeps, so a cut text still reads as longer than the preview (its row offers the
 * full text, loaded on demand) while the page carries no more than the rows show.
 */
export const PAGE_CLIP_CHARS = PREVIEW_CHARS + 1;

export type RowTone = 'info' | 'good' | 'warn' | 'error';

export interface ToolResultPreview {
  content: string;
  isError: boolean;
  /** The host or this preview cut the text: the full result is loaded on demand. */
  clipped: boolean;
}

/** A tool call's permission request, and its decision once made. */
export interface ToolPermission {
  requestId: string;
  decision: DecisionSummary | null;
}

/** What an Edit or Write call changes, as a preview for the row's mini-diff (sides cut to PREVIEW_CHARS). */
export interface MiniChange {
  path: string;
  before: string;
  after: string;
  /** A Write: `after` is the file's whole new content. */
  write: boolean;
  clipped: boolean;
}

export interface RowBase {
  seq: number;
  at: string;
  turnIndex: number | null;
}

export type TimelineRow =
  | (RowBase & { kind: 'turn'; turn: number; compact: boolean; prompt: string; clipped: boolean })
  | (RowBase & { kind: 'text'; thinking: boolean; text: string; clipped: boolean })
  | (RowBase & {
      kind: 'tool';
      toolUseId: string;
      name: string;
      summary: string;
      input: string;
      clipped: boolean;
      result: ToolResultPreview | null;
      permission: ToolPermission | null;
      change: MiniChange | null;
    })
  | (RowBase & { kind: 'tool_result'; toolUseId: string; result: ToolResultPreview })
  | (RowBase & {
      kind: 'permission';
      requestId: string;
      toolUseId: string;
      toolName: string;
      summary: string;
      decision: DecisionSummary | null;
    })
  | (RowBase & { kind: 'decision'; requestId: string; toolName: string; decision: DecisionSummary })
  | (RowBase & { kind: 'diff'; turn: number; files: number; added: number; removed: number })
  | (RowBase & { kind: 'acceptance'; met: boolean; failures: string[]; elapsedMs: number })
  | (RowBase & { kind: 'attempt'; outcome: string; tone: RowTone; tokens: number; costUsd: number; denials: number })
  | (RowBase & { kind: 'note'; tone: RowTone; label: string; text: string; clipped: boolean });

export type RowKind = TimelineRow['kind'];

/** A later event that completes an earlier row (a tool's result, a request's decision). */
export interface RowPatch {
  key: string;
  apply: (row: TimelineRow) => TimelineRow;
  /** The row to show when the target row is not loaded (made only then: most patches find theirs). */
  fallback: () => TimelineRow;
  /** Keep `key` paired after applying (a call's permission request: its result comes later). */
  keep?: boolean;
  /** A key that pairs with the patched row from now on (a request's id, for its decision). */
  alsoPair?: string;
  /** Keys that pair with the fallback row when it is used. */
  fallbackKeys?: string[];
}

export type Converted =
  | {
      row: TimelineRow;
      pairKey: string | null;
      /** A pair key whose (permission) row this row takes in: the request was logged before its call. */
      absorb?: string;
    }
  | { patch: RowPatch }
  | null;

export function clipText(text: string): { text: string; clipped: boolean } {
  return text.length > PREVIEW_CHARS ? { text: text.slice(0, PREVIEW_CHARS), clipped: true } : { text, clipped: false };
}
