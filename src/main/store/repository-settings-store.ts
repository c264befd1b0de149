// Per-repository settings (the worktree setup: commands, files to copy, shared folders), keyed by
// the repository's absolute top-level path (the only writer of `repository_settings`); and the
// reader of a goal's landing steps.
import { z } from 'zod';
import {
  LandingSchema,
  RepositorySettingsSchema,
  WorktreeSetupSchema,
  type Landing,
  type RepositorySettings,
  type WorktreeSetup,
} from '../../shared/domain/landing.js';
import { isoNow, type StoreContext } from './context.js';
import { jsonText, parseOptionalRow, parseRows } from './rows.js';

const RowSchema = z.object({
  repo_path: z.string(),
  setup_json: jsonText(WorktreeSetupSchema),
  updated_at: z.string(),
});

function toSettings(row: z.infer<typeof RowSchema>): RepositorySettings {
  return RepositorySettingsSchema.parse({ repoPath: row.repo_path, setup: row.setup_json, updatedAt: row.updated_at });
}

export class RepositorySettingsStore {
  private readonly select;
  private readonly selectAll;
  private readonly upsert;
  private readonly remove;

  constructor(private readonly ctx: StoreContext) {
    this.select = ctx.db.prepare(
      'SELECT repo_path, setup_json, updated_at FROM repository_settings WHERE repo_path = ?',
    );
    this.selectAll = ctx.db.prepare(
      'SELECT repo_path, setup_json, updated_at FROM repository_settings ORDER BY repo_path',
    );
    this.upsert = ctx.db.prepare(`
      INSERT INTO repository_settings (repo_path, setup_json, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(repo_path) DO UPDATE SET setup_json = excluded.setup_json, updated_at = excluded.updated_at`);
    this.remove = ctx.db.prepare('DELETE FROM repository_settings WHERE repo_path = ?');
  }

  get(repoPath: string): RepositorySettings | null {
    const row = parseOptionalRow('repository_settings', RowSchema, this.select.get(repoPath));
    return row === null ? null : toSettings(row);
  }

  list(): RepositorySettings[] {
    return parseRows('repository_settings', RowSchema, this.selectAll.all(), this.ctx.report).map(toSettings);
  }

  set(repoPath: string, setup: WorktreeSetup): RepositorySettings {
    const checked = WorktreeSetupSchema.parse(setup);
    this.upsert.run(repoPath, JSON.stringify(checked), isoNow(this.ctx));
    const stored = this.get(repoPath);
    if (stored === null) throw new Error(`repository settings for ${repoPath} were not stored`);
    return stored;
  }

  delete(repoPath: string): boolean {
    return this.remove.run(repoPath).changes > 0;
  }
}

const LandingRowSchema = z.object({ landing_json: jsonText(LandingSchema), at: z.string() });

/** Reads a goal's landing steps (the projector writes them from goal_landed events). */
export class LandingReader {
  private readonly latest;

  constructor(ctx: StoreContext) {
    this.latest = ctx.db.prepare(
      'SELECT landing_json, at FROM goal_landings WHERE goal_id = ? ORDER BY seq DESC LIMIT 1',
    );
  }

  /** The goal's last landing step, or null when it was never landed. */
  last(goalId: string): { landing: Landing; at: string } | null {
    const row = parseOptionalRow('goal_landings', LandingRowSchema, this.latest.get(goalId));
    return row === null ? null : { landing: row.landing_json, at: row.at };
  }
}
