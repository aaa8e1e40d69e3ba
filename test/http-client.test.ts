import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import {
  ApiError,
  AuthError,
  DeadlineReached,
  NotFoundError,
  TransientError,
  UnreachableError,
} from '../src/errors.js';
import { backoffDelay, parseRetryAfter, policyFor, serverWait } from '../src/http/backoff.js';
import { bearerKey } from '../src/http/auth.js';
import { jsonBody } from '../src/http/http-client.js';
import { type RetryNotice, UndiciHttpClient } from '../src/http/undici-client.js';
import { transportWords } from '../src/engine/wording.js';
import { platformOf } from '../src/providers/index.js';
import { workflowVocabulary } from '../src/vocabulary.js';
import { json, reset, scriptedServer, silent } from './support/scripted-server.js';

const KEY = 'sk-test-7f3a9c1e5b';
const ok = json(200, { status: 'running' });
const schema = z.looseObject({ status: z.string() });
const body = jsonBody(schema);
let server: Awaited<ReturnType<typeof scriptedServer>> | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(replies: Parameters<typeof scriptedServer>[0], requestTimeoutMs = 2000) {
  server = await scriptedServer(replies);
  const notices: RetryNotice[] = [];
  const client = openAiClient(server.url, KEY, {
    retry: { baseMs: 5, capMs: 20, maxAttempts: Number.POSITIVE_INFINITY },
    requestTimeoutMs,
    onRetry: (notice: RetryNotice) => notices.push(notice),
  });
  return { client, notices, server };
}

/** The client as watchJob makes it for OpenAI: Bearer key, OpenAI's error bodies, the workflow's words. */
function openAiClient(
  baseUrl: string,
  key: string,
  options: Pick<ConstructorParameters<typeof UndiciHttpClient>[0], 'retry' | 'requestTimeoutMs' | 'onRetry'>,
) {
  const platform = platformOf('openai');
  return new UndiciHttpClient({
    baseUrl,
    auth: bearerKey(key),
    words: transportWords(platform, { provider: 'openai', jobId: 'ftjob-1', baseUrl }, workflowVocabulary),
    errorDetail: platform.errorDetail,
    ...options,
  });
}

const signal = () => new AbortController().signal;

describe('ApiClient', () => {
  it('sends the bearer key and appends paths and queries to the base URL', async () => {
    const { client, server } = await clientFor([ok]);
    await client.get('/fine_tuning/jobs/ftjob-1/events', body, {
      signal: signal(),
      query: { limit: 100, after: undefined },
    });
    expect(server.requests[0]?.url).toBe('/v1/fine_tuning/jobs/ftjob-1/events?limit=100');
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it.each([
    ['429', json(429, { error: { message: 'slow down' } })],
    ['500', json(500, 'oops')],
    ['502 with an HTML body', json(502, '<html><body><h1>502 Bad Gateway</h1></body></html>')],
    ['503', json(503, {})],
    ['504', json(504, {})],
    ['408', json(408, {})],
    ['409', json(409, {})],
    ['a connection reset', reset],
    ['a truncated body', json(200, '{"status": "runn')],
    ['a body that is not JSON', json(200, 'hello')],
    ['JSON of the wrong shape', json(200, { data: [] })],
  ])('retries after %s', async (_name, fault) => {
    const { client, notices, server } = await clientFor([fault, fault, ok]);
    await expect(client.get('/x', body, { signal: signal() })).resolves.toEqual({
      status: 'running',
    });
    expect(server.requests).toHaveLength(3);
    expect(notices.map((n) => n.attempt)).toEqual([1, 2]);
  });

  it('gives up after a request timeout and retries', async () => {
    const { client, notices, server } = await clientFor([silent, ok], 100);
    await expect(client.get('/x', body, { signal: signal() })).resolves.toEqual({
      status: 'running',
    });
    expect(server.requests).toHaveLength(2);
    expect(notices[0]?.reason).toContain('no complete answer within 0.1 s');
  });

  it('honours Retry-After in seconds', async () => {
    const { client, notices } = await clientFor([json(429, {}, { 'retry-after': '0.3' }), ok]);
    const started = Date.now();
    await client.get('/x', body, { signal: signal() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(notices[0]?.delayMs).toBeGreaterThanOrEqual(300);
  });

  it('holds every request while a Retry-After runs, not only the one refused', async () => {
    const { client, notices, server } = await clientFor([json(429, {}, { 'retry-after': '0.3' }), ok, ok]);
    const refused = client.get('/a', body, { signal: signal() });
    while (notices.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await client.get('/b', body, { signal: signal() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await refused;
    expect(server.requests.map((r) => r.url).sort()).toEqual(['/v1/a', '/v1/a', '/v1/b']);
  });

  it('honours retry-after-ms before Retry-After (Azure OpenAI sends both)', async () => {
    const { client, notices } = await clientFor([
      json(429, {}, { 'retry-after-ms': '250', 'retry-after': '60' }),
      ok,
    ]);
    const started = Date.now();
    await client.get('/x', body, { signal: signal() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(230);
    expect(notices[0]?.delayMs).toBeGreaterThanOrEqual(250);
    expect(notices[0]?.delayMs).toBeLessThan(60_000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const when = new Date(Date.now() + 1500).toUTCString();
    const { client, notices } = await clientFor([json(503, {}, { 'retry-after': when }), ok]);
    await client.get('/x', body, { signal: signal() });
    // HTTP dates have whole seconds: between 0.5 and 1.5 s from now.
    expect(notices[0]?.delayMs).toBeGreaterThan(400);
    expect(notices[0]?.delayMs).toBeLessThanOrEqual(1500);
  });

  it.each([401, 403])(
    'ends at once on %i with a message about the key, without echoing it',
    async (status) => {
      const errorBody = { error: { message: `Incorrect API key provided: ${KEY}` } };
      const { client, server } = await clientFor([json(status, errorBody)]);
      const error = await client.get('/x', body, { signal: signal() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as Error).message).toContain('`api-key`');
      expect((error as Error).message).toContain('OPENAI_API_KEY');
      expect((error as Error).message).not.toContain(KEY);
      expect((error as Error).message).toContain('Incorrect API key provided: ***');
      expect(server.requests).toHaveLength(1);
    },
  );

  it('ends at once on 404 naming the job, the provider and the base URL', async () => {
    const { client, server } = await clientFor([json(404, { detail: 'Not Found' })]);
    const error = await client.get('/x', body, { signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toContain('ftjob-1');
    expect((error as Error).message).toContain('OpenAI');
    expect((error as Error).message).toContain(server.url);
    expect(server.requests).toHaveLength(1);
  });

  it('stops a wait between retries as soon as the signal aborts', async () => {
    const { client } = await clientFor([json(503, {}, { 'retry-after': '60' })]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DeadlineReached()), 100);
    const started = Date.now();
    await expect(client.get('/x', body, { signal: controller.signal })).rejects.toBeInstanceOf(
      DeadlineReached,
    );
    // The server asked for 60 s: anything well short of that means the wait was stopped.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('abandons a request in flight when the signal aborts', async () => {
    const { client } = await clientFor([silent]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DeadlineReached()), 50);
    await expect(client.get('/x', body, { signal: controller.signal })).rejects.toBeInstanceOf(
      DeadlineReached,
    );
  });

  it('refuses a key that cannot go in a header at once, every time, without sending anything', async () => {
    server = await scriptedServer([ok]);
    const client = openAiClient(server.url, 'sk-abc\u200bdef', {
      retry: { baseMs: 1, capMs: 2, maxAttempts: Number.POSITIVE_INFINITY },
    });
    // undici refused such keys four times and then left the fifth request pending forever.
    for (let i = 0; i < 6; i++) {
      await expect(client.get('/x', body, { signal: signal() })).rejects.toBeInstanceOf(UnreachableError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it('gives up a request with a retry window once faults outlast it, after five tries', async () => {
    const { client, server } = await clientFor([json(503, { error: { message: 'down' } })]);
    await expect(client.get('/x', body, { signal: signal(), retryForMs: 100 })).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(server.requests.length).toBeGreaterThanOrEqual(5);
  });

  it('does not follow a redirect, and says where it pointed', async () => {
    const { client, server } = await clientFor([json(308, '', { location: 'https://api.example.com/v1/x' })]);
    const error = await client.get('/x', body, { signal: signal() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('https://api.example.com/v1/x');
    expect((error as Error).message).toContain('`base-url`');
    expect(server.requests).toHaveLength(1);
  });

  it('asks for an uncompressed body and names a Content-Encoding it gets anyway', async () => {
    const { client, notices, server } = await clientFor([
      json(200, '\u001f\u008b', { 'content-encoding': 'gzip' }),
      ok,
    ]);
    await client.get('/x', body, { signal: signal() });
    expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
    expect(notices[0]?.reason).toContain('Content-Encoding gzip');
  });

  it('reads a body 5,000 levels deep without overflowing, scrubbing a key it spells in escapes', async () => {
    const escaped = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const deep = `${'{"a":'.repeat(5000)}"${escaped}"${'}'.repeat(5000)}`;
    const { client } = await clientFor([json(200, `{"status":"running","${escaped}":${deep}}`)]);
    const answer = await client.get('/x', body, { signal: signal() });
    expect(Object.keys(answer)).toEqual(['status', '***']);
  });

  it('stops after maxAttempts when asked to', async () => {
    const { client, server } = await clientFor([json(500, {})]);
    await expect(client.get('/x', body, { signal: signal(), maxAttempts: 2 })).rejects.toThrow('HTTP 500');
    expect(server.requests).toHaveLength(2);
  });
});

describe('backoff', () => {
  it('grows exponentially to the cap, with jitter in the upper half', () => {
    const policy = { baseMs: 100, capMs: 1000, maxAttempts: 10 };
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 0))).toEqual([
      50, 100, 200, 400, 500,
    ]);
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
  });

  it('derives its pace from the poll interval', () => {
    expect(policyFor(30_000, 5)).toEqual({ baseMs: 1000, capMs: 32_000, maxAttempts: 5 });
    expect(policyFor(50, 5)).toEqual({ baseMs: 50, capMs: 1600, maxAttempts: 5 });
    expect(policyFor(600_000, 5).capMs).toBe(60_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('reads the server’s wait from retry-after-ms first, else Retry-After', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(serverWait({ 'retry-after-ms': '1500', 'retry-after': '2' }, now)).toBe(1500);
    expect(serverWait({ 'retry-after-ms': ' 12.5 ' }, now)).toBe(12.5);
    expect(serverWait({ 'retry-after-ms': 'soon', 'retry-after': '2' }, now)).toBe(2000);
    expect(serverWait({ 'retry-after-ms': '-5', 'retry-after': '2' }, now)).toBe(2000);
    expect(serverWait({ 'retry-after-ms': '9'.repeat(400) }, now)).toBeNull();
    expect(serverWait({}, now)).toBeNull();
  });
});
