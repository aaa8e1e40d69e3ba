import { type Headers, headerOf } from './body.js';

export interface RetryPolicy {
  /** First delay before jitter. */
  baseMs: number;
  /** No computed delay exceeds this (a server's Retry-After may). */
  capMs: number;
  /** Attempts in all, the first included; Infinity retries until the caller's signal aborts. */
  maxAttempts: number;
}

/**
 * Capped exponential backoff with "equal jitter": half the delay is fixed, half random, so
 * waiters that failed together spread out without ever retrying at once.
 */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return exponential / 2 + random() * (exponential / 2);
}

/**
 * How long the server asked us to wait, in milliseconds: `retry-after-ms` (Azure OpenAI sends it
 * beside Retry-After, with more precision; OpenAI's and Fireworks' SDKs read it first), else
 * Retry-After; null when neither is there or readable.
 */
export function serverWait(headers: Headers, now = Date.now()): number | null {
  const ms = headerOf(headers, 'retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms) && Number.isFinite(Number(ms))) return Number(ms);
  return parseRetryAfter(headers['retry-after'], now);
}

/** Retry-After as milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | null {
  const header = Array.isArray(value) ? value[0] : value;
  if (header === undefined) return null;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    // More digits than a double holds would be an infinite wait: unreadable, so ignored.
    const ms = Number(text) * 1000;
    return Number.isFinite(ms) ? ms : null;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * Policy derived from the poll interval: a quick first retry, growing to about 32 times that,
 * never beyond a minute unless the server asks for longer with Retry-After.
 */
export function policyFor(pollIntervalMs: number, maxAttempts: number): RetryPolicy {
  const baseMs = Math.min(1000, pollIntervalMs);
  return { baseMs, capMs: Math.min(60_000, Math.max(baseMs * 32, pollIntervalMs)), maxAttempts };
}
