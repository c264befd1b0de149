// Settings: key → JSON value, each key with its own zod schema (with a default) in a registry.
// get parses what is stored (a missing or unreadable value gives the default; unreadable is
// reported); set validates before writing. Add keys to SETTINGS; never change a key's meaning.
import { z } from 'zod';
import { BudgetGuardsSchema, DEFAULT_BUDGET, PermissionModeSchema } from '../../shared/domain/goal.js';
import { DEFAULT_RUN_SETTINGS, RunSettingsSchema } from '../../shared/domain/run-settings.js';
import { isoNow, type StoreContext } from './context.js';
import { parseOptionalRow } from './rows.js';

/** Every schema must accept `undefined` (give it a `.default(...)`): that is the value of an unset key. */
export type SettingsRegistry = Record<string, z.ZodType>;

export const SETTINGS = {
  /** Budget a new goal starts with. */
  'goals.defaultBudget': BudgetGuardsSchema.default(DEFAULT_BUDGET),
  'goals.defaultPermissionMode': PermissionModeSchema.default('ask'),
  /** Model passed to Claude Code (null: the CLI's default). */
  'goals.defaultModel': z.string().min(1).nullable().default(null),
  /** Work in the repository's own tree instead of a worktree. */
  'goals.defaultInPlace': z.boolean().default(false),
  'ui.theme': z.enum(['system', 'light', 'dark']).default('system'),
  /** Path to the claude binary chosen by the operator (null: find it on PATH / the login shell). */
  'claude.binary': z.string().min(1).nullable().default(null),
  /** Command that opens a folder in the user's editor (null: detect `code`, `cursor`, $VISUAL, $EDITOR). */
  'editor.command': z.string().min(1).nullable().default(null),
  /** Admission, restart, compaction threshold and progress beacons (see RunSettingsSchema). */
  'goals.running': RunSettingsSchema.default(DEFAULT_RUN_SETTINGS),
  /** Ids of queued goals in start order (owned by the host's admission queue). */
  'admission.queue': z.array(z.string()).default([]),
} satisfies SettingsRegistry;

/** The host's settings: each key with its schema. */
export type HostSettingsRegistry = typeof SETTINGS;

const SettingRowSchema = z.object({ value_json: z.string() });

export class SettingsStore<R extends SettingsRegistry = HostSettingsRegistry> {
  private readonly select;
  private readonly upsert;
  private readonly remove;

  constructor(
    private readonly ctx: StoreContext,
    private readonly registry: R,
  ) {
    this.select = ctx.db.prepare('SELECT value_json FROM settings WHERE key = ?');
    this.upsert = ctx.db.prepare(`
      INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`);
    this.remove = ctx.db.prepare('DELETE FROM settings WHERE key = ?');
  }

  get<K extends keyof R & string>(key: K): z.output<R[K]> {
    const schema = this.schemaOf(key);
    const row = parseOptionalRow('settings', SettingRowSchema, this.select.get(key));
    if (row !== null) {
      let stored: unknown;
      try {
        stored = JSON.parse(row.value_json);
      } catch {
        stored = undefined;
      }
      const parsed = schema.safeParse(stored);
      if (parsed.success) return parsed.data;
      this.ctx.report(new Error(`stored setting ${key} is invalid; using the default`), 'reading settings');
    }
    return schema.parse(undefined);
  }

  /** Validates `value` with the key's schema (throws a ZodError when invalid) and stores it. */
  set<K extends keyof R & string>(key: K, value: z.input<R[K]>): void {
    const checked = this.schema(key).parse(value);
    this.upsert.run(key, JSON.stringify(checked), isoNow(this.ctx));
  }

  /** Forgets the stored value: get returns the default again. */
  reset<K extends keyof R & string>(key: K): void {
    this.schema(key);
    this.remove.run(key);
  }

  /** Every key with its current value. */
  all(): { [K in keyof R]: z.output<R[K]> } {
    const entries = Object.keys(this.registry).map((key) => [key, this.get(key)] as const);
    return Object.fromEntries(entries) as { [K in keyof R]: z.output<R[K]> };
  }

  private schemaOf<K extends keyof R & string>(key: K): R[K] {
    this.schema(key);
    return this.registry[key];
  }

  private schema(key: string): z.ZodType {
    const schema = this.registry[key];
    if (schema === undefined) throw new Error(`unknown setting "${key}"`);
    return schema;
  }
}
