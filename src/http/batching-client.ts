import type { BodyDecoder, HttpClient, Query, RequestOptions } from './http-client.js';
import { jsonBody } from './http-client.js';
import * as z from 'zod/mini';
import { ApiError } from '../errors.js';

/** How a platform lists jobs: one request for many statuses (OpenAI's `GET /fine_tuning/jobs`). */
export interface JobList {
  path: string;
  query: Query;
  /** The path that reads one job, to recognise a job read among the requests. */
  jobPath(jobId: string): string;
  /** The jobs in a list's body, by id. */
  itemsOf(body: unknown): Map<string, unknown>;
}

interface Pending {
  jobId: string;
  path: string;
  decoder: BodyDecoder<unknown>;
  options: RequestOptions;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const listBody = jsonBody(z.unknown());

/**
 * An HttpClient for a set of jobs whose job reads, made in the same round (RoundClock), go as one
 * list request: an idle poll of N jobs costs 1 request for their statuses, plus what each needs
 * apart (its events). A job the list does not show (an older one) is read on its own; a platform
 * or gateway without the list route is remembered, and every job is read on its own from then.
 */
export class BatchingHttpClient implements HttpClient {
  private readonly byPath: Map<string, string>;
  private pending: Pending[] = [];
  private listWorks = true;

  constructor(
    private readonly inner: HttpClient,
    private readonly list: JobList,
    jobIds: readonly string[],
  ) {
    this.byPath = new Map(jobIds.map((id) => [list.jobPath(id), id]));
  }

  get<T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): Promise<T> {
    const jobId = this.byPath.get(path);
    if (jobId === undefined || !this.listWorks || options.query !== undefined)
      return this.inner.get(path, decoder, options);
    return new Promise<T>((resolve, reject) => {
      if (this.pending.length === 0) setImmediate(() => void this.flush());
      this.pending.push({
        jobId,
        path,
        decoder: decoder as BodyDecoder<unknown>,
        options,
        resolve: resolve as (value: unknown) => void,
        reject,
      });
    });
  }

  post<T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): Promise<T | null> {
    return this.inner.post(path, decoder, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 1 || !this.listWorks) {
      for (const read of batch) this.readAlone(read);
      return;
    }
    // The list serves every job of the batch, so it is cancelled only when all of them are; a
    // job whose own signal aborts (its deadline, a cancelled run) gets its own reason at once.
    const waiting = new Set(batch);
    const listSignal = new AbortController();
    const detach: (() => void)[] = [];
    for (const read of batch) {
      const { signal } = read.options;
      const onAbort = () => {
        if (!waiting.delete(read)) return;
        read.reject(signal.reason);
        if (waiting.size === 0) listSignal.abort(signal.reason);
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        detach.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
    const first = batch[0] as Pending;
    let items: Map<string, unknown>;
    try {
      if (waiting.size === 0) return;
      items = this.list.itemsOf(
        await this.inner.get(this.list.path, listBody, {
          ...first.options,
          signal: listSignal.signal,
          query: this.list.query,
        }),
      );
    } catch (error) {
      // No list route here (a gateway that forwards only job routes): each job on its own, from now on.
      if (!(error instanceof ApiError)) {
        for (const read of waiting) read.reject(error);
        return;
      }
      this.listWorks = false;
      items = new Map();
    } finally {
      for (const undo of detach) undo();
    }
    for (const read of waiting) {
      const item = items.get(read.jobId);
      if (item === undefined) {
        this.readAlone(read);
        continue;
      }
      try {
        read.resolve(read.decoder.decode(Buffer.from(JSON.stringify(item)), undefined));
      } catch {
        // A listed job of a shape the adapter does not take: ask for it on its own.
        this.readAlone(read);
      }
    }
  }

  private readAlone(read: Pending): void {
    this.inner.get(read.path, read.decoder, read.options).then(read.resolve, read.reject);
  }
}
