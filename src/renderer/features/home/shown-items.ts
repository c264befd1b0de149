// How much of a long home-page section is shown: the first few items, then more on request. A
// thousand finished goals make a thousand "Ready to land" items; painting them all would hold up
// the console's first paint and bury the rest of the page.
import { plural } from '../../lib/format';

/** Items a home-page section shows before "Show more". */
export const SECTION_FIRST = 20;
/** Items each "Show more" adds. */
export const SECTION_STEP = 50;

/** The items shown when `shown` are asked for. */
export function shownItems<T>(items: readonly T[], shown: number): readonly T[] {
  return items.length <= shown ? items : items.slice(0, shown);
}

/** The "Show more" button's label, or null when every item is shown. */
export function moreLabel(total: number, shown: number, step = SECTION_STEP): string | null {
  const hidden = total - shown;
  if (hidden <= 0) return null;
  return hidden <= step ? `Show ${plural(hidden, 'more item')}` : `Show ${step} more (${hidden} not shown)`;
}
