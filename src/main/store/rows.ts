// Row parsing helpers: every row read back from SQLite is untrusted and goes through zod. JSON
// columns are parsed text → JSON → schema; errors name the table and column so corruption is findable.
import { z } from 'zod';

/** A TEXT column holding JSON that must match `schema`. */
export function jsonText<T extends z.ZodType>(schema: T) {
  return z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `not JSON: ${error instanceof Error ? error.message : String(error)}`,
        });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** A nullable TEXT column holding JSON that must match `schema` when present. */
export function nullableJsonText<T extends z.ZodType>(schema: T) {
  return z.union([z.null(), jsonText(schema)]);
}

/** SQLite stores booleans as 0/1 integers. */
export const sqliteBoolean = z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1);

export class StoreDataError extends Error {
  constructor(
    readonly table: string,
    readonly issues: string,
  ) {
    super(`corrupt row in ${table}: ${issues}`);
    this.name = 'StoreDataError';
  }
}

/** Parses one row; throws StoreDataError (with the table name) when the row does not match. */
export function parseRow<T extends z.ZodType>(table: string, schema: T, row: unknown): z.output<T> {
  const result = schema.safeParse(row);
  if (!result.success) throw new StoreDataError(table, z.prettifyError(result.error));
  return result.data;
}

/** Parses a row that may be missing (`undefined` from `.get()`). */
export function parseOptionalRow<T extends z.ZodType>(table: string, schema: T, row: unknown): z.output<T> | null {
  return row === undefined ? null : parseRow(table, schema, row);
}

/** Parses rows one by one; rows that do not match are reported and skipped, so one bad row cannot hide a page. */
export function parseRows<T extends z.ZodType>(
  table: string,
  schema: T,
  rows: unknown[],
  report: (error: unknown, context: string) => void,
): z.output<T>[] {
  const parsed: z.output<T>[] = [];
  for (const row of rows) {
    const result = schema.safeParse(row);
    if (result.success) parsed.push(result.data);
    else report(new StoreDataError(table, z.prettifyError(result.error)), `reading ${table}`);
  }
  return parsed;
}

/** Result of `SELECT count(*) AS n` and friends. */
export const CountRowSchema = z.object({ n: z.number().int().nonnegative() });
/** Result of `SELECT max(x) AS n` (null on an empty table). */
export const MaxRowSchema = z.object({ n: z.number().int().nullable() });
