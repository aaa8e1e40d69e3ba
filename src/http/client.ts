import type { Dispatcher } from 'undici';
import { Agent, request } from './undici-lite.js';
import * as z from 'zod/mini';
import { API_KEY_ENV, DISPLAY_NAMES, REQUEST_TIMEOUT_MS } from '../constants.js';
import {
  ActionError,
  ApiError,
  AuthError,
  NotFoundError,
  TransientError,
  UnreachableError,
} from '../errors.js';
import { scrubStrings } from '../json-walk.js';
import type { JobRef } from '../model.js';
import { raceSignal, sleep } from '../timers.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './backoff.js';
import { discard, headerOf, readCapped, readErrorText, unexpectedEncoding } from './body.js';
import { providerMessage } from '../providers/error-body.js';
import {
  JsonListText,
  type KnownList,
  parseWithListText,
  ReusedBody,
} from '../providers/together/json-list.js';
import { unsendableCharacter } from './header-value.js';
import { classifyNetworkError, type NetworkFailure } from './network-errors.js';

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);
/** A request with a retry window is given up on only after this many faults in a row. */
const GIVE_UP_AFTER_FAULTS = 5;
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
   * Give up once transient faults have kept this request from an answer for this long, over at
   * least GIVE_UP_AFTER_FAULTS attempts (the last fault is thrown): a server that asks to be
   * retried later is not given up on at its first long Retry-After. Default: retry until the
   * caller's signal aborts.
   */
  retryForMs?: number;
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
  /** Whether the server has answered at all; until it has, some network errors are final. */
  private answered = false;
  /** When connections started to be refused (or to time out), before any answer. */
  private unreachableSince: number | null = null;

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
    let firstFault: number | null = null;
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
        firstFault ??= Date.now();
        const outlasted =
          call.retryForMs !== undefined && Date.now() + delayMs - firstFault > call.retryForMs;
        if (outlasted && attempt >= GIVE_UP_AFTER_FAULTS) throw error;
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
    const where = `${method} ${path}`;
    const unsendable = unsendableCharacter(this.options.apiKey);
    if (unsendable) {
      // undici would refuse it on every attempt (and has been seen to hang after a few).
      throw new UnreachableError(
        `The API key cannot be sent in an HTTP header: it has ${unsendable.codePoint} at character ${unsendable.position}. Copy the key again, without spaces, line breaks or invisible characters.`,
      );
    }
    const signal = AbortSignal.any([call.signal, AbortSignal.timeout(this.timeoutMs)]);
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text = '';
    // A body whose list is read lazily stays bytes (see json-list.ts); others become text.
    let bytes: Buffer | null = null;
    try {
      // Raced with the signal: a request must settle within its own limit, whatever undici does.
      const response = await raceSignal(
        request(this.dispatcher, url, {
          method,
          signal,
          headers: {
            authorization: `Bearer ${this.options.apiKey}`,
            accept: 'application/json',
            'accept-encoding': 'identity',
            'user-agent': USER_AGENT,
            ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          },
          body: method === 'POST' ? '{}' : undefined,
        }),
        signal,
      );
      this.answered = true;
      this.unreachableSince = null;
      status = response.statusCode;
      headers = response.headers;
      const encoding = unexpectedEncoding(headers);
      if (status >= 300 && status < 400) {
        discard(response.body);
      } else if (status >= 200 && status < 300 && encoding) {
        discard(response.body);
        throw new TransientError(
          `${where}: HTTP ${status} with a body in Content-Encoding ${encoding}, though only identity (uncompressed) was asked for`,
        );
      } else if (status >= 200 && status < 300 && call.lazyList) {
        bytes = this.scrubBytes(
          await raceSignal(this.lazyBodies.read(response.body, headers, where), signal),
        );
      } else if (status >= 200 && status < 300) {
        text = this.scrub(
          (await raceSignal(readCapped(response.body, headers, where), signal)).toString('utf8'),
        );
      } else {
        text = this.scrub(await raceSignal(readErrorText(response.body), signal));
      }
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason;
      if (error instanceof ActionError || error instanceof TransientError) throw error;
      throw this.networkError(error, signal);
    }
    if (status >= 200 && status < 300) {
      // A cancel that answered 2xx was done, whatever its body says.
      if (bytes) return this.parseLazy(bytes, schema, status, path, call.lazyList ?? '');
      return method === 'POST' ? this.parseOrNull(text, schema) : this.parse(text, schema, status);
    }
    if (status >= 300 && status < 400) throw this.redirected(status, where, headerOf(headers, 'location'));
    const detail = this.scrub(providerMessage(text));
    const described = `${where}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
    if (status === 429) throw new RefusedError(described, parseRetryAfter(headers['retry-after']));
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      throw new TransientError(described, parseRetryAfter(headers['retry-after']));
    }
    throw this.fatal(status, described);
  }

  /**
   * A connection that failed. Before the server has ever answered, what retrying cannot mend
   * (a host that does not resolve, a certificate no trusted authority signed, connections refused
   * for two request timeouts in a row: a minute) ends the step; after a first answer it is an
   * outage, retried like any other fault.
   */
  private networkError(error: unknown, signal: AbortSignal): Error {
    if (signal.aborted)
      return new TransientError(`no complete answer within ${Number((this.timeoutMs / 1000).toFixed(2))} s`);
    const failure = classifyNetworkError(error);
    const reason = describeNetworkError(error);
    const unreachable = !this.answered && this.unreachable(failure, reason);
    if (unreachable) return unreachable;
    this.unreachableSince = failure.kind === 'refused' ? (this.unreachableSince ?? Date.now()) : null;
    return failure.kind === 'refused' ? new RefusedError(reason) : new TransientError(reason);
  }

  private unreachable(failure: NetworkFailure, reason: string): UnreachableError | null {
    const label = DISPLAY_NAMES[this.ref.provider];
    const at = `Could not reach ${label} at ${this.ref.baseUrl}`;
    const host = hostOf(this.ref.baseUrl);
    switch (failure.kind) {
      case 'unresolved':
        return new UnreachableError(
          `${at}: the host name ${host} does not resolve (${failure.code}). Check \`base-url\` (and, on a self-hosted runner, its DNS and proxy settings).`,
        );
      case 'certificate':
        return new UnreachableError(
          `${at}: its TLS certificate is not trusted (${reason}). If a private certificate authority signs it (a company proxy or gateway), point NODE_EXTRA_CA_CERTS at that authority's PEM file in the step's env; otherwise check \`base-url\`.`,
        );
      case 'tls':
        return new UnreachableError(
          `${at}: the TLS handshake failed (${reason}). Check \`base-url\`: is it https:// for a server that speaks plain http, or the wrong port?`,
        );
      case 'invalid-header':
        return new UnreachableError(`${at}: the request could not be sent (${reason}).`);
      case 'refused': {
        const since = this.unreachableSince ?? Date.now();
        if (Date.now() - since < 2 * this.timeoutMs) return null;
        return new UnreachableError(
          `${at}: every connection was refused for ${Math.round((Date.now() - since) / 1000)} s (${failure.code}). Check \`base-url\` (host and port).`,
        );
      }
      default:
        return null;
    }
  }

  private redirected(status: number, where: string, location: string | undefined): ApiError {
    const label = DISPLAY_NAMES[this.ref.provider];
    const target = location ? this.scrub(location.slice(0, 500)) : null;
    return new ApiError(
      `${label} answered ${where} with HTTP ${status}${target ? `, pointing to ${target}` : ' without saying where to'}. Redirects are not followed: set \`base-url\` to the API root itself.`,
      status,
    );
  }

  private parse<T>(text: string, schema: z.ZodMiniType<T>, status: number): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TransientError(`HTTP ${status} with a body that is not JSON (${text.length} bytes)`);
    }
    if (this.mayEscapeKey(text)) scrubStrings(json, this.scrub);
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
      const transform = this.mayEscapeKey(bytes) ? this.scrubTree : undefined;
      json = parseWithListText(bytes, list, transform, this.lazyBodies.lease(), this.knownLists.get(listId));
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
      json = JSON.parse(text);
      if (this.mayEscapeKey(text)) scrubStrings(json, this.scrub);
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
        where,
      );
    }
    return new ApiError(`${label} refused the request (${where}).`, status, where);
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
  private readonly scrub = (text: string): string => {
    const key = this.options.apiKey;
    return key.length >= 4 && text.includes(key) ? text.replaceAll(key, '***') : text;
  };

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
   * The same for every string JSON decodes, names included: a body may spell the key with
   * escapes (`\u0073k-…`, `\/`), which the scrub of the raw text cannot see.
   */
  private readonly scrubTree = (value: unknown): unknown => scrubStrings(value, this.scrub);

  /**
   * Only escapes can spell a key's characters: `\u` and `\/` for any key, any backslash for a
   * key with characters JSON must escape. Without them the decoded strings are pieces of the
   * scrubbed text, and walking every value would only slow every page down.
   */
  private mayEscapeKey(text: string | Buffer): boolean {
    const key = this.options.apiKey;
    if (key.length < 4) return false;
    if (/["\\\u0000-\u001f]/.test(key)) return text.includes('\\');
    return text.includes('\\u') || text.includes('\\/');
  }
}

/** A fault that proves the server did not act on the request: safe to retry even a POST. */
class RefusedError extends TransientError {
  override name = 'RefusedError';
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const cause = (error as { cause?: unknown }).cause;
    const own = typeof code === 'string' ? `${code}: ${error.message}` : error.message;
    return cause instanceof Error && !error.message.includes(cause.message)
      ? `${own} (${cause.message})`
      : own;
  }
  return String(error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
