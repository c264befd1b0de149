// The reviewer's own marks on a goal's diffs, kept in localStorage so they survive a reload:
// "viewed" ticks per goal + diff (a turn's, or the whole change) + file path, each remembering the
// patch it was given for (a file whose patch changed since is no longer viewed), and draft line
// comments per goal until they are sent to Claude. Read back with zod: storage is outside input.
import { z } from 'zod';
import { create } from 'zustand';

const STORAGE_KEY = 'overseer.review.v1';

const LineCommentSchema = z.object({
  id: z.string(),
  path: z.string(),
  /** The line's number on its side (new for added and context lines, old for removed ones). */
  line: z.number().int().positive(),
  side: z.enum(['old', 'new']),
  /** The line's text, quoted in the note. */
  lineText: z.string(),
  text: z.string(),
});
export type LineComment = z.infer<typeof LineCommentSchema>;

const StoredReviewSchema = z.object({
  /** viewed key → fingerprint of the patch that was viewed. */
  viewed: z.record(z.string(), z.string()),
  /** goal id → its draft comments, oldest first. */
  comments: z.record(z.string(), z.array(LineCommentSchema)),
});
type StoredReview = z.infer<typeof StoredReviewSchema>;

function load(): StoredReview {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (raw === null || raw === undefined) return { viewed: {}, comments: {} };
    const parsed = StoredReviewSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : { viewed: {}, comments: {} };
  } catch {
    return { viewed: {}, comments: {} };
  }
}

export const useReview = create<StoredReview>(() => load());

useReview.subscribe((state) => {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch {
    // Storage full or disabled: the marks still hold for this session.
  }
});

/** Which diff a mark belongs to: a turn's (0-based) or the goal's whole change (null). */
export function viewedKey(goalId: string, turnIndex: number | null, path: string): string {
  return `${goalId}|${turnIndex === null ? 'all' : `turn:${turnIndex}`}|${path}`;
}

/** A short fingerprint of a patch (FNV-1a, 32 bits, with its length). */
export function patchFingerprint(patch: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < patch.length; i += 1) {
    hash ^= patch.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${patch.length.toString(36)}-${hash.toString(36)}`;
}

export function setViewed(key: string, fingerprint: string, viewed: boolean): void {
  useReview.setState((state) => {
    const next = { ...state.viewed };
    if (viewed) next[key] = fingerprint;
    else delete next[key];
    return { viewed: next };
  });
}

export function addComment(goalId: string, comment: Omit<LineComment, 'id'>): void {
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  useReview.setState((state) => ({
    comments: { ...state.comments, [goalId]: [...(state.comments[goalId] ?? []), { ...comment, id }] },
  }));
}

export function updateComment(goalId: string, id: string, text: string): void {
  useReview.setState((state) => ({
    comments: {
      ...state.comments,
      [goalId]: (state.comments[goalId] ?? []).map((comment) => (comment.id === id ? { ...comment, text } : comment)),
    },
  }));
}

export function removeComments(goalId: string, ids: readonly string[]): void {
  useReview.setState((state) => ({
    comments: {
      ...state.comments,
      [goalId]: (state.comments[goalId] ?? []).filter((comment) => !ids.includes(comment.id)),
    },
  }));
}

const NO_COMMENTS: LineComment[] = [];

export function useComments(goalId: string): LineComment[] {
  return useReview((state) => state.comments[goalId] ?? NO_COMMENTS);
}

/**
 * The note that carries the comments to Claude: each one quoted with its file and line, e.g.
 * `src/a.ts:42: > the line` then the comment, in file order then line order.
 */
export function commentsNote(comments: readonly LineComment[]): string {
  const sorted = [...comments].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  const blocks = sorted.map((comment) => {
    const where = `${comment.path}:${comment.line}${comment.side === 'old' ? ' (removed line)' : ''}`;
    return `${where}: > ${comment.lineText}\n${comment.text.trim()}`;
  });
  return [`Review comments on your changes (${sorted.length}):`, ...blocks].join('\n\n');
}
