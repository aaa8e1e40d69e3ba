/**
 * What the providers ask of HTTP, and nothing of any provider: JSON (or bytes a provider reads
 * its own way) from a path under the API root, with timeouts, retries, Retry-After, the secrets
 * scrubbed from everything that comes back, and an auth strategy that sets a header or signs.
 */
import type * as z from 'zod/mini';
import { TransientError } from '../errors.js';
import type { Body, Headers } from './body.js';

export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  signal: AbortSignal;
  query?: Query;
  /** Overrides the policy's attempt count, e.g. a single try for a last-moment cancel. */
  maxAttempts?: number;
  /**
   * Give up once transient faults have kept this request from an answer for this long, over at
   * least five attempts (the last fault is thrown): a server that asks to be retried later is not
   * given up on at its first long Retry-After. Default: retry until the signal aborts.
   */
  retryForMs?: number;
}

/** Applied to a parsed value when the bytes may spell a secret in JSON escapes (see secrets.ts). */
export type Clean = (value: unknown) => unknown;

/** How a 2xx body becomes a value. */
export interface BodyDecoder<T> {
  /** Reads the body's bytes; default: into a fresh buffer, refused past MAX_BODY_BYTES. */
  read?(body: Body, headers: Headers, where: string): Promise<Buffer>;
  /**
   * The value of the bytes (already scrubbed of secrets as text). Throws SyntaxError for a body
   * that is not JSON and UnexpectedBody for one of the wrong shape: both are retried.
   */
  decode(bytes: Buffer, clean: Clean | undefined): T;
}

export interface HttpClient {
  get<T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): Promise<T>;
  /**
   * POST is not idempotent (it cancels a job): it is retried only when the server certainly did
   * not act on it (429, connection refused). Any 2xx is success; its body is the decoded value,
   * or null when it does not decode.
   */
  post<T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): Promise<T | null>;
  /** Closes idle connections; nothing is in flight by then. */
  close(): Promise<void>;
}

/** A 2xx body of the wrong shape: worth retrying, like a truncated one. */
export class UnexpectedBody extends TransientError {
  override name = 'UnexpectedBody';
}

/** The value if it matches the schema; else UnexpectedBody naming the first problem. */
export function validated<T>(json: unknown, schema: z.ZodMiniType<T>): T {
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new UnexpectedBody(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid');
}

/** A JSON body checked against a schema (unknown fields pass). */
export function jsonBody<T>(schema: z.ZodMiniType<T>): BodyDecoder<T> {
  return {
    decode(bytes, clean) {
      const json = parseJson(bytes.toString('utf8'));
      return validated(clean ? clean(json) : json, schema);
    },
  };
}

/**
 * JSON.parse, and when that fails on the bare `NaN` and `Infinity` Python's json module writes (a
 * loss that diverged), again with those words as strings: a metric that went NaN is news, not a
 * broken body to retry forever.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return JSON.parse(quoteNonFinite(text));
  }
}

/** `{"loss": NaN}` → `{"loss": "NaN"}`, outside strings only. */
function quoteNonFinite(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (inString) {
      out += char;
      if (char === '\\') out += text[++i] ?? '';
      else if (char === '"') inString = false;
      continue;
    }
    if (char === '"') inString = true;
    const word = /^(-?Infinity|NaN)/.exec(text.slice(i, i + 9))?.[1];
    if (!inString && word) {
      out += `"${word}"`;
      i += word.length - 1;
      continue;
    }
    out += char;
  }
  return out;
}
