// The schema, as numbered forward-only migrations. Never edit a released migration: add a new one.
// v1: core tables (goals, turns, events, transcript lines, permissions, rules, session bindings,
// compact summaries, goal processes). v2: settings and full-text search (FTS5) over goal
// descriptions and transcript text, back-filled from the rows v1 already holds.
import { z } from 'zod';
import type { Database } from './database.js';
import { searchableText } from './transcript-text.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

const CORE_TABLES = `
CREATE TABLE goals (
  id TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  repo_path TEXT NOT NULL,
  goal_json TEXT NOT NULL,
  status TEXT NOT NULL,
  usage_json TEXT NOT NULL,
  total_turns INTEGER NOT NULL DEFAULT 0,
  tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  outcome_json TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  ended_at TEXT
);
CREATE INDEX goals_by_status ON goals(status);
CREATE INDEX goals_by_created ON goals(created_at);

CREATE TABLE turns (
  goal_id TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  turn_index INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  status TEXT NOT NULL,
  compact INTEGER NOT NULL DEFAULT 0,
  prompt TEXT,
  outcome_json TEXT,
  usage_before_json TEXT,
  usage_after_json TEXT,
  tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0,
  permission_denials INTEGER NOT NULL DEFAULT 0,
  acceptance_json TEXT,
  final_text TEXT,
  diff_stat_json TEXT,
  pre_ref TEXT,
  pre_sha TEXT,
  post_ref TEXT,
  post_sha TEXT,
  session_id TEXT,
  started_at TEXT,
  ended_at TEXT,
  PRIMARY KEY (goal_id, turn_index, attempt)
);

CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  goal_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX events_by_goal ON events(goal_id, seq);

CREATE TABLE transcript_lines (
  id INTEGER PRIMARY KEY,
  goal_id TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  turn_index INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  raw TEXT NOT NULL,
  UNIQUE (goal_id, turn_index, line_no)
);

CREATE TABLE permission_requests (
  id TEXT PRIMARY KEY,
  goal_id TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  turn_index INTEGER,
  tool_name TEXT NOT NULL,
  request_json TEXT NOT NULL,
  status TEXT NOT NULL,
  decision_json TEXT,
  decided_by_json TEXT,
  decided_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX permission_requests_by_status ON permission_requests(status, goal_id);
CREATE INDEX permission_requests_by_goal ON permission_requests(goal_id, created_at);

CREATE TABLE rules (
  id TEXT PRIMARY KEY,
  rule_json TEXT NOT NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE session_bindings (
  goal_id TEXT PRIMARY KEY REFERENCES goals(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  model TEXT,
  workspace TEXT,
  invalid INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  last_active_at TEXT NOT NULL
);

CREATE TABLE compact_summaries (
  id INTEGER PRIMARY KEY,
  goal_id TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  turn_index INTEGER NOT NULL,
  summary TEXT NOT NULL,
  before_tokens INTEGER NOT NULL,
  after_tokens INTEGER NOT NULL,
  stored_at TEXT NOT NULL
);
CREATE INDEX compact_summaries_by_goal ON compact_summaries(goal_id, id);

CREATE TABLE goal_processes (
  goal_id TEXT PRIMARY KEY REFERENCES goals(id) ON DELETE CASCADE,
  turn_index INTEGER NOT NULL,
  pid INTEGER NOT NULL,
  process_started_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
`;

const SEARCH_AND_SETTINGS = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE VIRTUAL TABLE goals_fts USING fts5(goal_id UNINDEXED, description, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER goals_fts_after_insert AFTER INSERT ON goals BEGIN
  INSERT INTO goals_fts(goal_id, description) VALUES (new.id, new.description);
END;
CREATE TRIGGER goals_fts_after_update AFTER UPDATE OF description ON goals BEGIN
  DELETE FROM goals_fts WHERE goal_id = old.id;
  INSERT INTO goals_fts(goal_id, description) VALUES (new.id, new.description);
END;
CREATE TRIGGER goals_fts_after_delete AFTER DELETE ON goals BEGIN
  DELETE FROM goals_fts WHERE goal_id = old.id;
END;
INSERT INTO goals_fts(goal_id, description) SELECT id, description FROM goals;

-- rowid = transcript_lines.id; rows are written by the store (the text is extracted in TypeScript).
CREATE VIRTUAL TABLE transcript_fts USING fts5(text, tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER transcript_fts_after_delete AFTER DELETE ON transcript_lines BEGIN
  DELETE FROM transcript_fts WHERE rowid = old.id;
END;
`;

const TranscriptRowSchema = z.object({ id: z.number().int(), raw: z.string() });

function backfillTranscriptSearch(db: Database): void {
  const insert = db.prepare('INSERT INTO transcript_fts(rowid, text) VALUES (?, ?)');
  const page = db.prepare('SELECT id, raw FROM transcript_lines WHERE id > ? ORDER BY id LIMIT 1000');
  // Paged, not iterated: better-sqlite3 refuses writes while an iterator is open on the connection.
  let afterId = -1;
  for (;;) {
    const rows = page.all(afterId);
    if (rows.length === 0) return;
    for (const row of rows) {
      const parsed = TranscriptRowSchema.parse(row);
      afterId = parsed.id;
      const text = searchableText(parsed.raw);
      if (text !== '') insert.run(parsed.id, text);
    }
  }
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables',
    up(db) {
      db.exec(CORE_TABLES);
    },
  },
  {
    version: 2,
    name: 'settings and full-text search',
    up(db) {
      db.exec(SEARCH_AND_SETTINGS);
      backfillTranscriptSearch(db);
    },
  },
  {
    version: 3,
    name: 'per-repository worktree setup and goal landings',
    up(db) {
      db.exec(`
CREATE TABLE repository_settings (
  repo_path TEXT PRIMARY KEY,
  setup_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
-- One row per landing step of a goal (projected from goal_landed events).
CREATE TABLE goal_landings (
  goal_id TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  landing_json TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (goal_id, seq)
);`);
    },
  },
  {
    version: 4,
    name: 'session rewinds after a rollback',
    up(db) {
      db.exec(`
CREATE TABLE session_rewinds (
  goal_id TEXT PRIMARY KEY REFERENCES goals(id) ON DELETE CASCADE,
  session_id TEXT,
  resume_at TEXT,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL
);`);
    },
  },
  {
    version: 5,
    name: 'goals paused at a budget cap',
    up(db) {
      // The axis (turns, wall_time, tokens, cost) whose cap a paused goal waits at; NULL otherwise.
      db.exec('ALTER TABLE goals ADD COLUMN paused_at_cap TEXT');
    },
  },
  {
    version: 6,
    name: 'stored per-goal event counts',
    up(db) {
      // How many events each goal has, so the timeline's "N events" does not count a long goal's
      // rows. Written only by the event log (store/event-log.ts), with the events, in the same
      // transaction; filled here from the events already stored.
      db.exec(`
CREATE TABLE goal_event_counts (
  goal_id TEXT PRIMARY KEY,
  events INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO goal_event_counts (goal_id, events) SELECT goal_id, count(*) FROM events GROUP BY goal_id;`);
    },
  },
  {
    version: 7,
    name: 'an index of the turns still open',
    up(db) {
      // Recovery at every start marks the turns a stopped host left pending or running as
      // interrupted. Without an index that is a scan of every turn ever run (prompts and final
      // texts included: about 50-85 ms at 25,000 turns, on each start). This partial index holds
      // only the open turns, so it stays as small as the work in flight. The statement that uses
      // it must keep this exact condition (store/recovery.ts).
      db.exec(`CREATE INDEX turns_open ON turns(status) WHERE status IN ('pending', 'running');`);
    },
  },
  {
    version: 8,
    name: "an index of the turns' tokens",
    up(db) {
      // The goal list carries each goal's recent turns' tokens (its sparkline). Read through the primary
      // key, each of those turns costs a visit to its whole row (prompt, final text, outcome). The list of
      // 500 goals of 25 turns each took 23-26 ms as a new connection's first query, and 10 ms with this
      // index, which holds all that subquery reads (store/goal-store.ts, goalListSql).
      db.exec('CREATE INDEX turns_tokens ON turns(goal_id, turn_index, tokens);');
    },
  },
];
