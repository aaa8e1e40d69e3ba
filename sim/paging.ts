/** Cursor paging as OpenAI-style list endpoints do it: `after` is the id of the previous page's last item. */

export interface Page<T> {
  data: T[];
  has_more: boolean;
}

export interface PageOptions {
  /**
   * Start each later page at its cursor item instead of just after it, so every page repeats the
   * previous page's last item: the "duplicate events across pages" some gateways and caches serve.
   */
  overlap?: boolean;
  /** Position of an id in `items`, or -1; a faster lookup than scanning with `idOf` (100,000-event lists). */
  indexOf?: (id: string) => number;
}

/**
 * The page that follows `after` in `items` (already in the order the endpoint serves). An unknown
 * `after` yields an empty page rather than the first one, as the real APIs do.
 */
export function pageAfter<T>(
  items: readonly T[],
  idOf: (item: T) => string,
  after: string | undefined,
  limit: number,
  options: PageOptions = {},
): Page<T> {
  let start = 0;
  if (after !== undefined) {
    const index = options.indexOf ? options.indexOf(after) : items.findIndex((item) => idOf(item) === after);
    if (index < 0) return { data: [], has_more: false };
    start = options.overlap ? index : index + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, has_more: start + limit < items.length };
}

/** `limit` query value: missing or not an integer → the default; otherwise clamped to 1..max. */
export function parseLimit(raw: string | undefined, defaultLimit: number, maxLimit: number): number {
  if (raw === undefined || !/^-?\d+$/.test(raw)) return defaultLimit;
  return Math.min(Math.max(Number(raw), 1), maxLimit);
}
