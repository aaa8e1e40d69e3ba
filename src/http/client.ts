import type { Dispatcher } from 'undici';
import { Agent, request } from './undici-lite.js';
import * as z from 'zod/mini';
import { API_KEY_ENV, DISPLAY_NAMES, REQUEST_TIMEOUT_MS } from '../constants.js';
import { ApiError, AuthError, NotFoundError, TransientError } from '../errors.js';
import type { JobRef } from '../model.js';
import { sleep } from '../sleep.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './backoff.js';
import { providerMessage } from './error-body.js';
import { JsonListText, type KnownList, parseWithListText, ReusedBody } from './json-list.js';

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);
const USER_AGENT = 'fine-tune-watch (+https://github.com/marketplace/actions/fine-tune-watch)';

export interface RetryNotice {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface ClientOptions {
  apiKey: string;
  retry: RetryPolicy;
  requestTimeoutMs?: number;
  onRetry?: (notice: RetryNotice) => void;
  dispatcher?: Dispatcher;
}

export interface CallOptions {
  query?: Record<string, string | number | undefined>;
  signal: AbortSignal;
  /** Overrides the policy's attempt count, e.g. a single try for a last-moment cancel. */
  maxAttempts?: number;
  /**
   * The array under this top-level key is checked but not parsed: it arrives as a JsonListText
   * whose items are parsed on demand (Together's whole event list, sent on every poll).
   */
  lazyList?: string;
}

/**
 * A JSON client for one job on one provider. Each attempt has its own time limit, covering the
 * whole body; the caller's signal (our deadline, or the runner cancelling the step) ends
 * everything at once.
 *
 * Retries are made here rather than by undici's RetryAgent because the unit worth retrying is
 * a request *and* its validated body: a 200 with a truncated or malformed body must be retried
 * like a 503, and waits must follow the caller's signal and honour Retry-After beyond any cap.
 * RetryAgent works at the transport level (resuming bodies with Range), which fits downloads,
 * not a JSON API polled for hours.
 */
export class ApiClient {
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;
  /** Bodies read for a lazy list share one buffer (see json-list.ts). */
  private readonly lazyBodies = new ReusedBody();
  /** Each lazy list as last read, by path and key: the next read skips what it already knows. */
  private readonly knownLists = new Map<string, KnownList>();
  /**
   * No read goes out before this time (epoch ms). A Retry-After speaks for the server, not for
   * one path: the reads made side by side at the end of a job wait for it too.
   */
  private notBefore = 0;

  constructor(
    private readonly ref: JobRef,
    private readonly options: ClientOptions,
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: 4,
        keepAliveTimeout: 60_000,
        keepAliveMaxTimeout: 600_000,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connect: { timeout: Math.min(10_000, this.timeoutMs) },
      });
  }

  get<T>(path: string, schema: z.ZodMiniType<T>, call: CallOptions): Promise<T> {
    return this.send('GET', path, schema, call);
  }

  /**
   * POST is not idempotent (it is only used to cancel a job): it is retried only when the server
   * certainly did not act on it (429, connection refused), so a job is never cancelled twice.
   * Any 2xx is success; its body is returned when it matches `schema`, else null.
   */
  post<T>(path: string, schema: z.ZodMiniType<T>, call: CallOptions): Promise<T | null> {
    return this.send('POST', path, z.catch(z.nullable(schema), null), call);
  }

  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.close().catch(() => undefined);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodMiniType<T>,
    call: CallOptions,
  ): Promise<T> {
    const maxAttempts = call.maxAttempts ?? this.options.retry.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        // A cancel goes out at once: the run is ending, and it is sent only once anyway.
        const held = method === 'GET' ? this.notBefore - Date.now() : 0;
        if (held > 0) await sleep(held, call.signal);
        return await this.attempt(method, path, schema, call);
      } catch (error) {
        if (call.signal.aborted) throw call.signal.reason;
        if (error instanceof TransientError && error.retryAfterMs !== null)
          this.notBefore = Math.max(this.notBefore, Date.now() + error.retryAfterMs);
        if (!(error instanceof TransientError) || attempt >= maxAttempts) throw error;
        if (method === 'POST' && !(error instanceof RefusedError)) throw error;
        const delayMs = Math.max(error.retryAfterMs ?? 0, backoffDelay(attempt, this.options.retry));
        this.options.onRetry?.({ method, path, attempt, delayMs, reason: error.message });
        await sleep(delayMs, call.signal);
      }
    }
  }

  private async attempt<T>(
    method: string,
    path: string,
    schema: z.ZodMiniType<T>,
    call: CallOptions,
  ): Promise<T> {
    const url = this.url(path, call.query);
    const signal = AbortSignal.any([call.signal, AbortSignal.timeout(this.timeoutMs)]);
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    // A body whose list is read lazily stays bytes (see json-list.ts); others become text.
    let bytes: Buffer | null = null;
    try {
      const response = await request(this.dispatcher, url, {
        method,
        signal,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        body: method === 'POST' ? '{}' : undefined,
      });
      status = response.statusCode;
      headers = response.headers;
      if (call.lazyList && status >= 200 && status < 300) {
        bytes = this.scrubBytes(await this.lazyBodies.read(response.body, headers['content-length']));
        text = '';
      } else {
        text = this.scrub(await response.body.text());
      }
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason;
      const reason = describeNetworkError(error, signal, this.timeoutMs);
      throw isRefused(error) ? new RefusedError(reason) : new TransientError(reason);
    }
    if (status >= 200 && status < 300) {
      // A cancel that answered 2xx was done, whatever its body says.
      if (bytes) return this.parseLazy(bytes, schema, status, path, call.lazyList ?? '');
      return method === 'POST' ? this.parseOrNull(text, schema) : this.parse(text, schema, status);
    }
    const detail = this.scrub(providerMessage(text));
    const where = `${method} ${path}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
    if (status === 429) throw new RefusedError(where, parseRetryAfter(headers['retry-after']));
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      throw new TransientError(where, parseRetryAfter(headers['retry-after']));
    }
    throw this.fatal(status, where);
  }

  private parse<T>(text: string, schema: z.ZodMiniType<T>, status: number): T {
    let json: unknown;
    try {
      json = JSON.parse(text, this.revivesKey(text) ? this.scrubStrings : undefined);
    } catch {
      throw new TransientError(`HTTP ${status} with a body that is not JSON (${text.length} bytes)`);
    }
    return this.validate(json, schema, status);
  }

  private parseLazy<T>(
    bytes: Buffer,
    schema: z.ZodMiniType<T>,
    status: number,
    path: string,
    list: string,
  ): T {
    const listId = `${path}\n${list}`;
    let json: unknown;
    try {
      const escapes = bytes.includes('\\u') || bytes.includes('\\/');
      const reviver = escapes && this.options.apiKey.length >= 4 ? this.scrubStrings : undefined;
      json = parseWithListText(bytes, list, reviver, this.lazyBodies.lease(), this.knownLists.get(listId));
    } catch {
      throw new TransientError(`HTTP ${status} with a body that is not JSON (${bytes.length} bytes)`);
    }
    const value = this.validate(json, schema, status);
    const items = (json as Record<string, unknown> | null)?.[list];
    const known = items instanceof JsonListText ? items.known() : undefined;
    if (known) this.knownLists.set(listId, known);
    else this.knownLists.delete(listId);
    return value;
  }

  private validate<T>(json: unknown, schema: z.ZodMiniType<T>, status: number): T {
    const result = schema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new TransientError(
        `HTTP ${status} with an unexpected body (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
      );
    }
    return result.data;
  }

  /** For POST, whose schema falls back to null: an unreadable body is null, not a fault. */
  private parseOrNull<T>(text: string, schema: z.ZodMiniType<T>): T {
    let json: unknown = null;
    try {
      json = JSON.parse(text, this.revivesKey(text) ? this.scrubStrings : undefined);
    } catch {
      // keep null
    }
    return schema.parse(json);
  }

  private fatal(status: number, where: string): Error {
    const label = DISPLAY_NAMES[this.ref.provider];
    if (status === 401 || status === 403) {
      return new AuthError(
        `${label} rejected the API key (${where}). Check the \`api-key\` input or the ${API_KEY_ENV[this.ref.provider]} secret: it must be a current ${label} key with access to job ${this.ref.jobId}.`,
        status,
      );
    }
    if (status === 404) {
      return new NotFoundError(
        `Job ${this.ref.jobId} was not found on ${label} at ${this.ref.baseUrl} (${where}). Check \`job-id\`, \`provider\` and \`base-url\`.`,
      );
    }
    return new ApiError(`${label} refused the request (${where}).`, status);
  }

  private url(path: string, query: CallOptions['query']): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value !== undefined) params.set(name, String(value));
    }
    const search = params.toString();
    return `${this.ref.baseUrl}${path}${search ? `?${search}` : ''}`;
  }

  /** Providers echo requests in error bodies; nothing they send may carry the key further. */
  private scrub(text: string): string {
    const key = this.options.apiKey;
    return key.length >= 4 && text.includes(key) ? text.replaceAll(key, '***') : text;
  }

  /** The scrub for bodies kept as bytes: the key's bytes become asterisks, offsets unchanged. */
  private scrubBytes(body: Buffer): Buffer {
    const key = this.options.apiKey;
    if (key.length < 4) return body;
    const needle = Buffer.from(key);
    for (let at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + needle.length)) {
      body.fill(0x2a, at, at + needle.length);
    }
    return body;
  }

  /**
   * The same for every string JSON decodes: a body may spell the key with escapes (`\u0073k-…`,
   * `\/`), which the scrub of the raw text cannot see.
   */
  private readonly scrubStrings = (_key: string, value: unknown): unknown =>
    typeof value === 'string' ? this.scrub(value) : value;

  /**
   * Only `\u` and `\/` escapes can spell a key's characters; without them the decoded strings
   * are pieces of the scrubbed text, and a reviver would only slow every page down.
   */
  private revivesKey(text: string): boolean {
    return this.options.apiKey.length >= 4 && (text.includes('\\u') || text.includes('\\/'));
  }
}

/** A fault that proves the server did not act on the request: safe to retry even a POST. */
class RefusedError extends TransientError {
  override name = 'RefusedError';
}

/** The connection was refused: the request never reached the server. */
function isRefused(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ECONNREFUSED';
}

function describeNetworkError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no complete answer within ${Number((timeoutMs / 1000).toFixed(2))} s`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
