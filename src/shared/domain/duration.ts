// Durations: parsing and formatting of humantime-style strings ("90m", "1h 30m", "45s", "250ms").
// Owned here because both the CLI (flags) and the UI (budget fields) read them.

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  d: 86_400_000,
};

/** Parses "30m", "1h 30m", "1h30m", "45s", "250ms" or a bare number of seconds. Returns ms or an error text. */
export function parseDuration(text: string): { ok: true; ms: number } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'empty duration' };
  if (/^\d+(\.\d+)?$/.test(trimmed)) return { ok: true, ms: Math.round(Number(trimmed) * 1000) };
  const re = /(\d+(?:\.\d+)?)\s*(ms|sec|min|hr|s|m|h|d)\b/gy;
  let total = 0;
  let index = 0;
  const compact = trimmed.replace(/\s+/g, ' ');
  while (index < compact.length) {
    if (compact[index] === ' ') {
      index += 1;
      continue;
    }
    re.lastIndex = index;
    const match = re.exec(compact);
    if (!match || match[1] === undefined || match[2] === undefined) {
      return { ok: false, error: `cannot read duration "${text}" (use forms like 90s, 30m, 1h 30m)` };
    }
    const unit = UNIT_MS[match[2]];
    if (unit === undefined) return { ok: false, error: `unknown unit in "${text}"` };
    total += Number(match[1]) * unit;
    index = re.lastIndex;
  }
  return { ok: true, ms: Math.round(total) };
}

/** Formats ms as a short human string: "1h 5m", "42s", "850ms". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '∞';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const totalSeconds = Math.floor(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(`${h}h`);
  if (m > 0) parts.push(`${m}m`);
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join(' ');
}
