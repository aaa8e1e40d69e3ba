/** Cursor paging as OpenAI-style list endpoints do it: `after` is the id of the previous page's last item. */

export interface Page<T> {
  data: T[];
  has_more: boolean;
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
): Page<T> {
  let start = 0;
  if (after !== undefined) {
    const index = items.findIndex((item) => idOf(item) === after);
    if (index < 0) return { data: [], has_more: false };
    start = index + 1;
  }
  const data = items.slice(start, start + limit);
  return { data, has_more: start + limit < items.length };
}

/** `limit` query value: missing or not an integer → the default; otherwise clamped to 1..max. */
export function parseLimit(raw: string | undefined, defaultLimit: number, maxLimit: number): number {
  if (raw === undefined || !/^-?\d+$/.test(raw)) return defaultLimit;
  return Math.min(Math.max(Number(raw), 1), maxLimit);
}
