// Transcripts: each turn's raw stream-json lines as Claude Code printed them (batched on the hot
// path like events, numbered per goal and turn), their searchable text in transcript_fts, and the
// claude process of the running turn (pid + start time) so recovery can stop it after a crash.
import { z } from 'zod';
import type { TranscriptSink } from '../driver/index.js';
import { isoNow, type StoreContext } from './context.js';
import { MaxRowSchema, parseRow, parseRows } from './rows.js';
import { searchableText } from './transcript-text.js';

export interface TranscriptLine {
  lineNo: number;
  raw: string;
}

export interface TranscriptPage {
  /** Only lines with lineNo > afterLineNo. */
  afterLineNo?: number;
  /** At most this many lines (default: all). */
  limit?: number;
}

export interface ProcessRecord {
  goalId: string;
  turnIndex: number;
  pid: number;
  /** What processStartTime(pid) returned when the process was recorded. */
  processStartedAt: string;
  recordedAt: string;
}

const LineRowSchema = z.object({ line_no: z.number().int().nonnegative(), raw: z.string() });
const ProcessRowSchema = z.object({
  goal_id: z.string(),
  turn_index: z.number().int().nonnegative(),
  pid: z.number().int().positive(),
  process_started_at: z.string(),
  recorded_at: z.string(),
});
const TurnIndexRowSchema = z.object({ turn_index: z.number().int().nonnegative() });

export class TranscriptStore implements TranscriptSink {
  /** Next line number per "goal/turn", so appends need no read. */
  private readonly nextLineNo = new Map<string, number>();
  private readonly insertLine;
  private readonly insertSearchText;
  private readonly maxLineNo;
  private readonly pageLines;
  private readonly turnIndexes;
  private readonly upsertProcess;
  private readonly deleteProcess;
  private readonly selectProcesses;

  constructor(private readonly ctx: StoreContext) {
    const db = ctx.db;
    this.insertLine = db.prepare(
      'INSERT INTO transcript_lines (goal_id, turn_index, line_no, raw) VALUES (?, ?, ?, ?)',
    );
    this.insertSearchText = db.prepare('INSERT INTO transcript_fts (rowid, text) VALUES (?, ?)');
    this.maxLineNo = db.prepare('SELECT max(line_no) AS n FROM transcript_lines WHERE goal_id = ? AND turn_index = ?');
    this.pageLines = db.prepare(
      'SELECT line_no, raw FROM transcript_lines WHERE goal_id = ? AND turn_index = ? AND line_no > ? ORDER BY line_no LIMIT ?',
    );
    this.turnIndexes = db.prepare(
      'SELECT DISTINCT turn_index FROM transcript_lines WHERE goal_id = ? ORDER BY turn_index',
    );
    this.upsertProcess = db.prepare(`
      INSERT INTO goal_processes (goal_id, turn_index, pid, process_started_at, recorded_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(goal_id) DO UPDATE SET turn_index = excluded.turn_index, pid = excluded.pid,
        process_started_at = excluded.process_started_at, recorded_at = excluded.recorded_at`);
    this.deleteProcess = db.prepare('DELETE FROM goal_processes WHERE goal_id = ?');
    this.selectProcesses = db.prepare('SELECT * FROM goal_processes ORDER BY recorded_at');
  }

  /** Queues one raw line of a turn's output (committed with the next batch). */
  appendLine(goalId: string, turnIndex: number, line: string): void {
    const lineNo = this.allocateLineNo(goalId, turnIndex);
    this.ctx.queue.enqueue({
      run: () => {
        try {
          const id = this.insertLine.run(goalId, turnIndex, lineNo, line).lastInsertRowid;
          const text = searchableText(line);
          if (text !== '') this.insertSearchText.run(id, text);
        } catch (error) {
          if (!this.ctx.db.inTransaction) throw error;
          this.ctx.report(error, `storing transcript line ${lineNo} of goal ${goalId} turn ${turnIndex}`);
        }
      },
    });
  }

  /** Records the claude process running a goal's turn (one per goal; replaces the previous one). */
  recordProcess(goalId: string, turnIndex: number, pid: number, startedAt: string): void {
    this.ctx.queue.flush();
    this.upsertProcess.run(goalId, turnIndex, pid, startedAt, isoNow(this.ctx));
  }

  clearProcess(goalId: string): void {
    this.ctx.queue.flush();
    this.deleteProcess.run(goalId);
  }

  /** Every recorded process (normally empty after a clean shutdown). */
  recordedProcesses(): ProcessRecord[] {
    this.ctx.queue.flushQuietly();
    return parseRows('goal_processes', ProcessRowSchema, this.selectProcesses.all(), this.ctx.report).map((row) => ({
      goalId: row.goal_id,
      turnIndex: row.turn_index,
      pid: row.pid,
      processStartedAt: row.process_started_at,
      recordedAt: row.recorded_at,
    }));
  }

  /** A turn's raw lines in order (all attempts of the turn index, numbered continuously). */
  transcriptForTurn(goalId: string, turnIndex: number, page: TranscriptPage = {}): TranscriptLine[] {
    this.ctx.queue.flushQuietly();
    const limit = page.limit === undefined ? -1 : Math.max(0, Math.trunc(page.limit));
    const rows = this.pageLines.all(goalId, turnIndex, page.afterLineNo ?? -1, limit);
    return parseRows('transcript_lines', LineRowSchema, rows, this.ctx.report).map((row) => ({
      lineNo: row.line_no,
      raw: row.raw,
    }));
  }

  /** Turn indexes of a goal that have transcript lines. */
  turnsWithTranscript(goalId: string): number[] {
    this.ctx.queue.flushQuietly();
    return parseRows('transcript_lines', TurnIndexRowSchema, this.turnIndexes.all(goalId), this.ctx.report).map(
      (row) => row.turn_index,
    );
  }

  private allocateLineNo(goalId: string, turnIndex: number): number {
    const key = `${goalId}/${turnIndex}`;
    let next = this.nextLineNo.get(key);
    if (next === undefined) {
      const max = parseRow('transcript_lines', MaxRowSchema, this.maxLineNo.get(goalId, turnIndex)).n;
      next = max === null ? 0 : max + 1;
    }
    this.nextLineNo.set(key, next + 1);
    return next;
  }
}
