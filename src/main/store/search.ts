// Full-text search (FTS5) over goal descriptions and transcript text. The query is the operator's
// words, not FTS syntax: each word is matched as a quoted term (all must match), the last one as a
// prefix. Snippets mark matches with SNIPPET_MATCH_START / SNIPPET_MATCH_END.
import { z } from 'zod';
import type { StoreContext } from './context.js';
import { parseRows } from './rows.js';

export const SNIPPET_MATCH_START = '\u0002';
export const SNIPPET_MATCH_END = '\u0003';

export interface GoalSearchHit {
  goalId: string;
  snippet: string;
}

export interface TranscriptSearchHit {
  goalId: string;
  turnIndex: number;
  lineNo: number;
  snippet: string;
}

export interface SearchResults {
  goals: GoalSearchHit[];
  transcript: TranscriptSearchHit[];
}

const GoalHitRowSchema = z.object({ goal_id: z.string(), snippet: z.string() });
const TranscriptHitRowSchema = z.object({
  goal_id: z.string(),
  turn_index: z.number().int().nonnegative(),
  line_no: z.number().int().nonnegative(),
  snippet: z.string(),
});

/** Turns free text into an FTS5 query: "w1" "w2" "w3"* (null when there is no word). */
export function toFtsQuery(text: string): string | null {
  const words = text
    .split(/\s+/u)
    .map((word) => word.replace(/["\p{Cc}]/gu, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

export class SearchIndex {
  private readonly goalHits;
  private readonly transcriptHits;

  constructor(private readonly ctx: StoreContext) {
    this.goalHits = ctx.db.prepare(`
      SELECT goal_id, snippet(goals_fts, 1, '${SNIPPET_MATCH_START}', '${SNIPPET_MATCH_END}', '…', 16) AS snippet
      FROM goals_fts WHERE goals_fts MATCH ? ORDER BY bm25(goals_fts) LIMIT ?`);
    this.transcriptHits = ctx.db.prepare(`
      SELECT l.goal_id, l.turn_index, l.line_no,
        snippet(transcript_fts, 0, '${SNIPPET_MATCH_START}', '${SNIPPET_MATCH_END}', '…', 16) AS snippet
      FROM transcript_fts JOIN transcript_lines l ON l.id = transcript_fts.rowid
      WHERE transcript_fts MATCH ? ORDER BY bm25(transcript_fts) LIMIT ?`);
  }

  /** Best matches first; at most `limit` goal hits and `limit` transcript hits. */
  search(query: string, limit: number): SearchResults {
    this.ctx.queue.flushQuietly();
    const fts = toFtsQuery(query);
    const cap = Math.min(500, Math.max(1, Math.trunc(limit)));
    if (fts === null) return { goals: [], transcript: [] };
    const goals = parseRows('goals_fts', GoalHitRowSchema, this.goalHits.all(fts, cap), this.ctx.report);
    const transcript = parseRows(
      'transcript_fts',
      TranscriptHitRowSchema,
      this.transcriptHits.all(fts, cap),
      this.ctx.report,
    );
    return {
      goals: goals.map((row) => ({ goalId: row.goal_id, snippet: row.snippet })),
      transcript: transcript.map((row) => ({
        goalId: row.goal_id,
        turnIndex: row.turn_index,
        lineNo: row.line_no,
        snippet: row.snippet,
      })),
    };
  }
}
