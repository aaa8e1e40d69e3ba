import { Agent, type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { API_KEY_ENV, DISPLAY_NAMES, REQUEST_TIMEOUT_MS } from '../constants.js';
import { ApiError, AuthError, NotFoundError, TransientError } from '../errors.js';
import type { JobRef } from '../model.js';
import { sleep } from '../sleep.js';
import { backoffDelay, parseRetryAfter, type RetryPolicy } from './backoff.js';
import { providerMessage } from './error-body.js';

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

  get<T>(path: string, schema: z.ZodType<T>, call: CallOptions): Promise<T> {
    return this.send('GET', path, schema, call);
  }

  post<T>(path: string, schema: z.ZodType<T>, call: CallOptions): Promise<T> {
    return this.send('POST', path, schema, call);
  }

  async close(): Promise<void> {
    if (!this.options.dispatcher) await this.dispatcher.close().catch(() => undefined);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    call: CallOptions,
  ): Promise<T> {
    const maxAttempts = call.maxAttempts ?? this.options.retry.maxAttempts;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(method, path, schema, call);
      } catch (error) {
        if (call.signal.aborted) throw call.signal.reason;
        if (!(error instanceof TransientError) || attempt >= maxAttempts) throw error;
        const delayMs = Math.max(error.retryAfterMs ?? 0, backoffDelay(attempt, this.options.retry));
        this.options.onRetry?.({ method, path, attempt, delayMs, reason: error.message });
        await sleep(delayMs, call.signal);
      }
    }
  }

  private async attempt<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    call: CallOptions,
  ): Promise<T> {
    const url = this.url(path, call.query);
    const signal = AbortSignal.any([call.signal, AbortSignal.timeout(this.timeoutMs)]);
    let status: number;
    let headers: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const response = await request(url, {
        method,
        dispatcher: this.dispatcher,
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
      text = this.scrub(await response.body.text());
    } catch (error) {
      if (call.signal.aborted) throw call.signal.reason;
      throw new TransientError(describeNetworkError(error, signal, this.timeoutMs));
    }
    if (status >= 200 && status < 300) return this.parse(text, schema, status);
    const detail = providerMessage(text);
    const where = `${method} ${path}: HTTP ${status}${detail ? ` ${detail}` : ''}`;
    if (RETRYABLE_STATUS.has(status) || status >= 500) {
      throw new TransientError(where, parseRetryAfter(headers['retry-after']));
    }
    throw this.fatal(status, where);
  }

  private parse<T>(text: string, schema: z.ZodType<T>, status: number): T {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TransientError(`HTTP ${status} with a body that is not JSON (${text.length} bytes)`);
    }
    const result = schema.safeParse(json);
    if (!result.success) {
      const issue = result.error.issues[0];
      throw new TransientError(
        `HTTP ${status} with an unexpected body (${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'})`,
      );
    }
    return result.data;
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
    return this.options.apiKey.length >= 4 ? text.replaceAll(this.options.apiKey, '***') : text;
  }
}

function describeNetworkError(error: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) return `no complete answer within ${Math.round(timeoutMs / 100) / 10} s`;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
