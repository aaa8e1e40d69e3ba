/** Timestamps as each platform writes them; all take unix seconds (fractions allowed). */

/** ISO 8601 with milliseconds, `2024-05-01T10:00:00.123Z` (Together, Bedrock). */
export function isoMillis(unixSeconds: number): string {
  return new Date(Math.round(unixSeconds * 1000)).toISOString();
}

/** RFC 3339 to the second, `2023-11-07T05:31:56Z` (Fireworks, as its API reference shows it). */
export function rfc3339Seconds(unixSeconds: number): string {
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * RFC 3339 with six fraction digits, `2025-01-01T12:00:00.123456Z`: Google's proto3 JSON writes
 * 0, 3, 6 or 9 of them, and microseconds are what Vertex usually shows.
 */
export function rfc3339Micros(unixSeconds: number): string {
  const micros = Math.round(unixSeconds * 1_000_000);
  const whole = new Date(Math.floor(micros / 1_000_000) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(micros % 1_000_000).padStart(6, '0')}Z`;
}
