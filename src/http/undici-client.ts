import type { Dispatcher } from 'undici';
import { REQUEST_TIMEOUT_MS } from '../constants.js';
import {
  ActionError,
  ApiError,
  AuthError,
  NotFoundError,
  TransientError,
  UnreachableError,
} from '../errors.js';
import { raceSignal, sleep } from '../timers.js';
import type { AuthStrategy, OutgoingRequest } from './auth.js';
import { backoffDelay, serverWait, type RetryPolicy } from './backoff.js';
import { discard, type Headers, headerOf, readCapped, readErrorText, unexpectedEncoding } from './body.js';
import { unsendableCharacter } from './header-value.js';
import type { BodyDecoder, HttpClient, Query, RequestOptions } from './http-client.js';
import { classifyNetworkError, type NetworkFailure } from './network-errors.js';
import { SecretScrubber } from './secrets.js';
import { createDispatcher } from './dispatcher.js';
import { request } from './undici-lite.js';

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

/** Why the API cannot be reached as configured, for the sentence the caller makes of it. */
export type Unreachable =
  | { kind: 'unresolved' | 'certificate' | 'tls' | 'other'; host: string; detail: string }
  | { kind: 'refused'; host: string; detail: string; seconds: number }
  | { kind: 'unsendable'; header: string; codePoint: string; position: number };

/**
 * The sentences of the errors that end the step: the transport knows what happened, the caller
 * knows what the user should change (an input or a flag, a key or a cloud's credentials).
 */
export interface TransportWords {
  /** 401/403: the credentials were refused. `where` is the request and the answer. */
  credentialsRefused(where: string): string;
  notFound(where: string): string;
  /** Another answer retrying cannot change (400, 422, …). */
  refused(where: string): string;
  redirected(where: string, location: string | null): string;
  unreachable(reason: Unreachable): string;
}

/** One request as the debug log shows it. */
export interface Exchange {
  method: string;
  /** The path and query, with secrets and secret-looking parameters masked. */
  target: string;
  /** The HTTP status, or null when no answer came (the error says why). */
  status: number | null;
  error: string | null;
  ms: number;
  /** What happens next: `done`, `retry in 2 s`, or `give up`. */
  next: string;
}

export interface UndiciClientOptions {
  /** The API root; request paths are appended to it. */
  baseUrl: string;
  auth: AuthStrategy;
  words: TransportWords;
  /** The human part of an error body, as the provider writes them. */
  errorDetail: (text: string, headers: Headers) => string;
  retry: RetryPolicy;
  requestTimeoutMs?: number;
  onRetry?: (notice: RetryNotice) => void;
  /** Every request with its answer, time and what follows (the runner's debug log). */
  onExchange?: (exchange: Exchange) => void;
  /** The proxy variables are read from here (default: process.env). */
  env?: NodeJS.ProcessEnv;
  dispatcher?: Dispatcher;
}

/** A fault that proves the server did not act on the request: safe to retry even a POST. */
class RefusedError extends TransientError {
  override name = 'RefusedError';
}

interface Answer {
  status: number;
  headers: Headers;
  /** The scrubbed 2xx body; null for other statuses. */
  bytes: Buffer | null;
  /** The scrubbed start of an error body. */
  text: string;
}

/**
 * HttpClient over undici's keep-alive pool. Each attempt has its own time limit, covering the
 * whole body; the caller's signal (our deadline, or the runner cancelling the step) ends
 * everything at once.
 *
 * Retries are made here rather than by undici's RetryAgent because the unit worth retrying is
 * a request *and* its decoded body: a 200 with a truncated or malformed body must be retried
 * like a 503, and waits must follow the caller's signal and honour Retry-After beyond any cap.
 * RetryAgent works at the transport level (resuming bodies with Range), which fits downloads,
 * not a JSON API polled for hours.
 */
export class UndiciHttpClient implements HttpClient {
  private dispatcher: Promise<Dispatcher> | null = null;
  private readonly timeoutMs: number;
  private readonly scrub: SecretScrubber;
  /**
   * No read goes out before this time (epoch ms). A Retry-After speaks for the server, not for
   * one path: the reads made side by side at the end of a job wait for it too.
   */
  private notBefore = 0;
  /** Whether the server has answered at all; until it has, some network errors are final. */
  private answered = false;
  /** When connections started to be refused, before any answer. */
  private refusedSince: number | null = null;
  /** The status of the last answer, for the debug log; null when the last request got none. */
  private lastStatus: number | null = null;

  constructor(private readonly options: UndiciClientOptions) {
    this.timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
    this.scrub = new SecretScrubber(() => options.auth.secrets());
  }

  /** Made on first use: a proxy's dispatcher is loaded then, and only when a proxy is set. */
  private pool(): Promise<Dispatcher> {
    this.dispatcher ??= this.options.dispatcher
      ? Promise.resolve(this.options.dispatcher)
      : createDispatcher(
          {
            connections: 4,
            // HTTP/1.1 only, as every test's server speaks; undici's HTTP/2 client is not even
            // bundled (client-h2-off.js).
            allowH2: false,
            keepAliveTimeout: 60_000,
            keepAliveMaxTimeout: 600_000,
            headersTimeout: this.timeoutMs,
            bodyTimeout: this.timeoutMs,
            connect: { timeout: Math.min(10_000, this.timeoutMs) },
          },
          this.options.env ?? process.env,
        );
    return this.dispatcher;
  }

  get<T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): Promise<T> {
    return this.send('GET', path, decoder, options);
  }

  async post<T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): Promise<T | null> {
    // A cancel that answered 2xx was done, whatever its body says.
    const lenient: BodyDecoder<T | null> = {
      decode: (bytes, clean) => {
        try {
          return decoder.decode(bytes, clean);
        } catch {
          return null;
        }
      },
    };
    return this.send('POST', path, lenient, options);
  }

  async close(): Promise<void> {
    if (this.options.dispatcher || !this.dispatcher) return;
    await (await this.dispatcher).close().catch(() => undefined);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    decoder: BodyDecoder<T>,
    options: RequestOptions,
  ): Promise<T> {
    const maxAttempts = options.maxAttempts ?? this.options.retry.maxAttempts;
    let firstFault: number | null = null;
    for (let attempt = 1; ; attempt++) {
      // A cancel goes out at once: the run is ending, and it is sent only once anyway.
      const held = method === 'GET' ? this.notBefore - Date.now() : 0;
      if (held > 0) await sleep(held, options.signal);
      const started = Date.now();
      const log = (status: number | null, error: unknown, next: string) =>
        this.options.onExchange?.({
          method,
          target: this.scrub.text(`${path}${maskedSearch(options.query)}`),
          status,
          error:
            error === null ? null : this.scrub.text(error instanceof Error ? error.message : String(error)),
          ms: Date.now() - started,
          next,
        });
      try {
        const value = await this.attempt(method, path, decoder, options);
        log(this.lastStatus, null, 'done');
        return value;
      } catch (error) {
        if (options.signal.aborted) {
          log(null, options.signal.reason, 'stopped');
          throw options.signal.reason;
        }
        if (error instanceof TransientError && error.retryAfterMs !== null)
          this.notBefore = Math.max(this.notBefore, Date.now() + error.retryAfterMs);
        const retryable =
          error instanceof TransientError &&
          attempt < maxAttempts &&
          (method !== 'POST' || error instanceof RefusedError);
        if (!retryable) {
          log(this.lastStatus, error, 'give up');
          throw error;
        }
        const delayMs = Math.max(error.retryAfterMs ?? 0, backoffDelay(attempt, this.options.retry));
        firstFault ??= Date.now();
        const outlasted =
          options.retryForMs !== undefined && Date.now() + delayMs - firstFault > options.retryForMs;
        if (outlasted && attempt >= GIVE_UP_AFTER_FAULTS) {
          log(this.lastStatus, error, 'give up');
          throw error;
        }
        log(this.lastStatus, error, `retry in ${(delayMs / 1000).toFixed(1)} s`);
        this.options.onRetry?.({ method, path, attempt, delayMs, reason: error.message });
        await sleep(delayMs, options.signal);
      }
    }
  }

  private async attempt<T>(
    method: string,
    path: string,
    decoder: BodyDecoder<T>,
    options: RequestOptions,
  ): Promise<T> {
    const where = `${method} ${path}`;
    const { status, headers, bytes, text } = await this.exchange(method, path, decoder, options);
    if (bytes) {
      try {
        return decoder.decode(bytes, this.scrub.cleanerFor(bytes));
      } catch (error) {
        if (error instanceof SyntaxError)
          throw new TransientError(
            `${where}: HTTP ${status} with a body that is not JSON (${bytes.length} bytes)`,
          );
        if (error instanceof TransientError)
          throw new TransientError(`${where}: HTTP ${status} with an unexpected body (${error.message})`);
        throw error;
      }
    }
    if (status >= 300 && status < 400) {
      const location = headerOf(headers, 'location');
      throw new ApiError(
        this.options.words.redirected(where, location ? this.scrub.text(location.slice(0, 500)) : null),
        status,
        `${where}: HTTP ${status}`,
      );
    }
    const detail = this.scrub.text(this.options.errorDetail(text, headers));
    const described = `${where}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
    if (status === 429) throw new RefusedError(described, serverWait(headers));
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      throw new TransientError(described, serverWait(headers));
    }
    const { words } = this.options;
    if (status === 401 || status === 403)
      throw new AuthError(words.credentialsRefused(described), status, described);
    if (status === 404) throw new NotFoundError(words.notFound(described), described);
    throw new ApiError(words.refused(described), status, described);
  }

  /** One request and its body, raced with its own time limit. */
  private async exchange(
    method: string,
    path: string,
    decoder: BodyDecoder<unknown>,
    options: RequestOptions,
  ): Promise<Answer> {
    const url = this.urlOf(path, options.query);
    const where = `${method} ${path}`;
    const body = method === 'POST' ? '{}' : undefined;
    const base: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'identity',
      'user-agent': USER_AGENT,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    const headers = { ...base, ...(await this.authorize({ method, url, headers: base, body })) };
    for (const [name, value] of Object.entries(headers)) {
      // undici would refuse it on every attempt (and has been seen to hang after a few).
      const bad = unsendableCharacter(value.replace(/ /g, '!'));
      if (bad)
        throw new UnreachableError(
          this.options.words.unreachable({ kind: 'unsendable', header: name, ...bad }),
        );
    }
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(this.timeoutMs)]);
    this.lastStatus = null;
    try {
      const pool = await this.pool();
      // Raced with the signal: a request must settle within its own limit, whatever undici does.
      const response = await raceSignal(request(pool, url, { method, signal, headers, body }), signal);
      this.lastStatus = response.statusCode;
      this.answered = true;
      this.refusedSince = null;
      const { statusCode: status, headers: answerHeaders } = response;
      if (status >= 300 && status < 400) {
        discard(response.body);
        return { status, headers: answerHeaders, bytes: null, text: '' };
      }
      if (status < 200 || status >= 300) {
        const text = await raceSignal(readErrorText(response.body), signal);
        return { status, headers: answerHeaders, bytes: null, text: this.scrub.text(text) };
      }
      const encoding = unexpectedEncoding(answerHeaders);
      if (encoding) {
        discard(response.body);
        throw new TransientError(
          `${where}: HTTP ${status} with a body in Content-Encoding ${encoding}, though only identity (uncompressed) was asked for`,
        );
      }
      const read = decoder.read ?? readCapped;
      const bytes = await raceSignal(read(response.body, answerHeaders, where), signal);
      return { status, headers: answerHeaders, bytes: this.scrub.bytes(bytes), text: '' };
    } catch (error) {
      if (options.signal.aborted) throw options.signal.reason;
      if (error instanceof ActionError || error instanceof TransientError) throw error;
      throw this.networkError(error, signal, url.host);
    }
  }

  /**
   * The auth strategy's headers. A token refresh or a credential lookup that fails on the way
   * (the token endpoint down for a moment) is a fault like any other, retried; a missing or
   * refused credential is the strategy's own ActionError and ends the step.
   */
  private async authorize(request: OutgoingRequest): Promise<Record<string, string>> {
    try {
      return await this.options.auth.headers(request);
    } catch (error) {
      if (error instanceof ActionError) throw error;
      throw new TransientError(
        `the credentials could not be refreshed: ${this.scrub.text(error instanceof Error ? error.message : String(error))}`,
      );
    }
  }

  /**
   * The base URL with the path appended; a query on the base URL (Azure's `api-version`) goes
   * with every request, before the request's own.
   */
  private urlOf(path: string, query: Query | undefined): URL {
    const base = new URL(this.options.baseUrl);
    const url = new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${path}`);
    for (const [name, value] of base.searchParams) url.searchParams.append(name, value);
    for (const [name, value] of Object.entries(query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    return url;
  }

  /**
   * A connection that failed. Before the server has ever answered, what retrying cannot mend
   * (a host that does not resolve, a certificate no trusted authority signed, connections refused
   * for two request timeouts in a row: a minute) ends the step; after a first answer it is an
   * outage, retried like any other fault.
   */
  private networkError(error: unknown, signal: AbortSignal, host: string): Error {
    if (signal.aborted)
      return new TransientError(`no complete answer within ${Number((this.timeoutMs / 1000).toFixed(2))} s`);
    const failure = classifyNetworkError(error);
    const detail = this.scrub.text(describeNetworkError(error));
    if (!this.answered) {
      const reason = this.unreachable(failure, detail, host);
      if (reason) return new UnreachableError(this.options.words.unreachable(reason));
    }
    if (failure.kind !== 'refused') {
      this.refusedSince = null;
      return new TransientError(detail);
    }
    return new RefusedError(detail);
  }

  private unreachable(failure: NetworkFailure, detail: string, host: string): Unreachable | null {
    switch (failure.kind) {
      case 'unresolved':
      case 'certificate':
      case 'tls':
        return { kind: failure.kind, host, detail };
      case 'invalid-header':
        return { kind: 'other', host, detail };
      case 'refused': {
        this.refusedSince ??= Date.now();
        const seconds = Math.round((Date.now() - this.refusedSince) / 1000);
        return Date.now() - this.refusedSince < 2 * this.timeoutMs
          ? null
          : { kind: 'refused', host, detail, seconds };
      }
      default:
        return null;
    }
  }
}

/** Parameters whose values are never logged. */
const SECRET_PARAMETER = /key|token|secret|sig|password|credential|code|auth/i;

function maskedSearch(query: Query | undefined): string {
  const masked = Object.fromEntries(
    Object.entries(query ?? {}).map(([name, value]) => [
      name,
      value !== undefined && SECRET_PARAMETER.test(name) ? '***' : value,
    ]),
  );
  return search(masked);
}

function search(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
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
