import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { ApiError } from '../src/errors.js';
import { BatchingHttpClient } from '../src/http/batching-client.js';
import { type HttpClient, jsonBody, type RequestOptions } from '../src/http/http-client.js';
import { OPENAI_JOB_LIST } from '../src/providers/openai-compatible.js';

const job = jsonBody(z.object({ id: z.string(), status: z.string() }));
const path = (id: string) => `/fine_tuning/jobs/${id}`;

/**
 * An inner client over a list of jobs: the list request waits for `release()` when `hold` is set,
 * and honours its signal as the real transport does.
 */
function innerClient(options: { listed: string[]; listFails?: boolean; hold?: boolean }) {
  const requests: string[] = [];
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const client: HttpClient = {
    get: async (requested, decoder, { signal }) => {
      requests.push(requested);
      let body: unknown;
      if (requested === '/fine_tuning/jobs') {
        if (options.listFails) throw new ApiError('no list here', 404);
        if (options.hold)
          await Promise.race([
            released,
            new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
          ]);
        body = { data: options.listed.map((id) => ({ id, status: 'running', from: 'list' })) };
      } else body = { id: requested.split('/').at(-1), status: 'queued' };
      return decoder.decode(Buffer.from(JSON.stringify(body)), undefined);
    },
    post: async () => null,
    close: async () => undefined,
  };
  return { client, requests, release };
}

const ids = ['ftjob-a', 'ftjob-b', 'ftjob-c'];
const reading = (signal: AbortSignal = new AbortController().signal): RequestOptions => ({ signal });

describe('BatchingHttpClient', () => {
  it('reads the jobs asked for in the same turn with one list request', async () => {
    const inner = innerClient({ listed: ['ftjob-x', ...ids] });
    const batching = new BatchingHttpClient(inner.client, OPENAI_JOB_LIST, ids);
    const jobs = await Promise.all(ids.map((id) => batching.get(path(id), job, reading())));
    expect(jobs).toEqual(ids.map((id) => ({ id, status: 'running' })));
    expect(inner.requests).toEqual(['/fine_tuning/jobs']);
  });

  it('reads on its own a job the list does not show, and one read alone in its turn', async () => {
    const inner = innerClient({ listed: ['ftjob-a', 'ftjob-b'] });
    const batching = new BatchingHttpClient(inner.client, OPENAI_JOB_LIST, ids);
    const jobs = await Promise.all(ids.map((id) => batching.get(path(id), job, reading())));
    expect(jobs.map((one) => one.status)).toEqual(['running', 'running', 'queued']);
    await batching.get(path('ftjob-a'), job, reading());
    expect(inner.requests).toEqual(['/fine_tuning/jobs', path('ftjob-c'), path('ftjob-a')]);
  });

  it('reads every job on its own from the first list that is refused', async () => {
    const inner = innerClient({ listed: ids, listFails: true });
    const batching = new BatchingHttpClient(inner.client, OPENAI_JOB_LIST, ids);
    await Promise.all(ids.map((id) => batching.get(path(id), job, reading())));
    await Promise.all(ids.map((id) => batching.get(path(id), job, reading())));
    expect(inner.requests).toEqual(['/fine_tuning/jobs', ...ids.map(path), ...ids.map(path)]);
  });

  it('rejects a job whose own signal aborts with its reason, and still serves the others', async () => {
    const inner = innerClient({ listed: ids, hold: true });
    const batching = new BatchingHttpClient(inner.client, OPENAI_JOB_LIST, ids);
    const deadline = new AbortController();
    const reads = ids.map((id, i) =>
      batching.get(path(id), job, reading(i === 1 ? deadline.signal : undefined)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    deadline.abort(new Error('deadline of b'));
    await expect(reads[1]).rejects.toThrow('deadline of b');
    inner.release();
    expect((await reads[0])?.status).toBe('running');
    expect((await reads[2])?.status).toBe('running');
  });

  it('cancels the list only when every job it serves is cancelled', async () => {
    const inner = innerClient({ listed: ids, hold: true });
    const batching = new BatchingHttpClient(inner.client, OPENAI_JOB_LIST, ids);
    const run = new AbortController();
    const reads = ids.map((id) => batching.get(path(id), job, reading(run.signal)));
    await new Promise((resolve) => setImmediate(resolve));
    run.abort(new Error('run cancelled'));
    for (const read of reads) await expect(read).rejects.toThrow('run cancelled');
  });
});
