/**
 * A fake fine-tuning provider on a real node:http server, for tests, the demo and benchmarks.
 * It serves Together, OpenAI or Nebius routes with their real shapes, moves each job through
 * its scenario as it is polled, and can misbehave on request (see `fault`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { unauthorized } from './error-bodies.js';
import { type HandlerContext, handle } from './handlers.js';
import { SimJob } from './job-state.js';
import { respond } from './respond.js';
import { matchRoute } from './routes.js';
import type {
  Fault,
  ProviderName,
  RequestRecord,
  RouteName,
  Scenario,
  SimCheckpoint,
  SimEvent,
} from './types.js';

export type FaultHook = (req: RequestRecord, n: number) => Fault | undefined;

export interface FakeProviderOptions {
  provider: ProviderName;
  /** The only Bearer token accepted; anything else gets the provider's 401. */
  apiKey: string;
  jobs?: Record<string, Scenario>;
  /** Order of the OpenAI/Nebius events list. Default: openai 'desc', nebius 'asc'. Together: always asc. */
  eventOrder?: 'asc' | 'desc';
  /** Page size of paged lists when `limit` is absent (20). */
  defaultLimit?: number;
  /** Largest `limit` honoured; larger ones are clamped (100). */
  maxLimit?: number;
  /** 'job-get' (default): every job read after the first enters the next stage. 'manual': only advance(). */
  advanceOn?: 'job-get' | 'manual';
  /** Each later page of a paged list repeats the previous page's last item (duplicates across pages). */
  overlapPages?: boolean;
  /** Consulted before every response; n is the index of the request in `requests`. */
  fault?: FaultHook;
  /** Default 0: any free port. */
  port?: number;
}

export interface FakeProvider {
  /** API root including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly provider: ProviderName;
  readonly requests: RequestRecord[];
  /** Requests to one route, or matching a predicate. */
  count(filter: RouteName | ((req: RequestRecord) => boolean)): number;
  addJob(jobId: string, scenario: Scenario): SimJob;
  /** Enter the job's next stage; false when it is on its last stage or was cancelled. */
  advance(jobId: string): boolean;
  /** The live state of a job (status, events, checkpoints, cancelCalls, jobGets, fields). */
  job(jobId: string): SimJob;
  appendEvents(jobId: string, events: SimEvent[]): void;
  appendCheckpoints(jobId: string, checkpoints: SimCheckpoint[]): void;
  setStatus(jobId: string, status: string, jobFields?: Record<string, unknown>): void;
  /** Replace (or remove) the fault hook while running. */
  setFault(hook: FaultHook | undefined): void;
  /** Stops the server and drops every connection at once. */
  close(): Promise<void>;
}

export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProvider> {
  const { provider } = options;
  const jobs = new Map<string, SimJob>();
  const requests: RequestRecord[] = [];
  const closing = new AbortController();
  let faultHook = options.fault;
  const ctx: HandlerContext = {
    provider,
    jobs,
    eventOrder:
      provider === 'together' ? 'asc' : (options.eventOrder ?? (provider === 'openai' ? 'desc' : 'asc')),
    defaultLimit: options.defaultLimit ?? 20,
    maxLimit: options.maxLimit ?? 100,
    autoAdvance: (options.advanceOn ?? 'job-get') === 'job-get',
    overlapPages: options.overlapPages ?? false,
  };

  const addJob = (jobId: string, scenario: Scenario): SimJob => {
    const job = new SimJob(jobId, provider, scenario);
    jobs.set(jobId, job);
    return job;
  };
  for (const [jobId, scenario] of Object.entries(options.jobs ?? {})) addJob(jobId, scenario);

  const getJob = (jobId: string): SimJob => {
    const job = jobs.get(jobId);
    if (!job) throw new Error(`fake ${provider} provider has no job ${jobId}`);
    return job;
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    req.resume(); // request bodies are never needed; drain them so the socket stays usable
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    const match = matchRoute(provider, method, url.pathname);
    const record: RequestRecord = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      time: Date.now(),
      route: match.route,
      ...(match.jobId === undefined ? {} : { jobId: match.jobId }),
    };
    const n = requests.push(record) - 1;
    const fault = faultHook?.(record, n);
    if (fault?.kind === 'delay') {
      try {
        await sleep(fault.ms, undefined, { signal: closing.signal });
      } catch {
        return; // server closing: the socket is being destroyed anyway
      }
    }
    const compute = () => {
      const sentKey = bearer(req.headers.authorization);
      if (sentKey !== options.apiKey) return unauthorized(provider, sentKey);
      return handle(ctx, match, record.query);
    };
    const status = respond(req, res, compute, fault);
    if (status !== undefined) record.status = status;
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      // A bug in the sim should show up as a 500 the test can see, not hang the client.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    provider,
    requests,
    count: (filter) =>
      requests.filter(typeof filter === 'string' ? (r) => r.route === filter : filter).length,
    addJob,
    advance: (jobId) => getJob(jobId).advance(),
    job: getJob,
    appendEvents: (jobId, events) => getJob(jobId).appendEvents(events),
    appendCheckpoints: (jobId, checkpoints) => getJob(jobId).appendCheckpoints(checkpoints),
    setStatus: (jobId, status, jobFields) => getJob(jobId).setStatus(status, jobFields),
    setFault: (hook) => {
      faultHook = hook;
    },
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The token of an `Authorization: Bearer …` header; undefined when there is none. */
function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(.*)$/i.exec(header);
  return match ? (match[1] ?? '') : header;
}
