/**
 * A fake fine-tuning provider on a real node:http server, for tests, the demo and benchmarks.
 * It serves Together, OpenAI, Nebius, Azure OpenAI, Fireworks, Bedrock or Vertex routes with their
 * real shapes and real authentication (keys, AWS SigV4, Google OAuth tokens), moves each job
 * through its scenario as it is polled, and can misbehave on request (see `fault`).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createGate } from './auth/gate.js';
import { SIM_SUBJECT_TOKEN, TokenIssuer, type TokenRequestRecord } from './auth/google-oauth.js';
import { type AwsCredentials, SIM_AWS_CREDENTIALS } from './auth/sigv4.js';
import { findJob, type HandlerContext, handle } from './handlers.js';
import { SimJob } from './job-state.js';
import { type AzureApi, apiRoot } from './platforms.js';
import { bedrockArnParts } from './render-bedrock.js';
import { respond } from './respond.js';
import { matchRoute } from './routes.js';
import type {
  Fault,
  ProviderName,
  Reply,
  RequestRecord,
  RouteName,
  Scenario,
  SimCheckpoint,
  SimEvent,
} from './types.js';

export type { AwsCredentials } from './auth/sigv4.js';
export type { TokenRequestRecord } from './auth/google-oauth.js';
export type FaultHook = (req: RequestRecord, n: number) => Fault | undefined;

export interface FakeProviderOptions {
  provider: ProviderName;
  /**
   * The only key accepted: as a Bearer token (Together, OpenAI, Nebius, Fireworks) or in the
   * `api-key` header (Azure). Ignored by Bedrock (SigV4) and Vertex (OAuth tokens from `/token`).
   */
  apiKey: string;
  jobs?: Record<string, Scenario>;
  /** Order of OpenAI-style events lists. Default: openai and azure-openai 'desc', nebius 'asc'. Together: always asc. */
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
  /** Vertex: consulted before each answer of the token endpoint; n counts its requests from 0. */
  tokenFault?: (n: number) => Fault | undefined;
  /** Default 0: any free port. */
  port?: number;
  /**
   * Job reads after an acknowledged cancel that still show the in-between status (Together
   * `cancel_requested`, Bedrock `Stopping`, Fireworks/Vertex `JOB_STATE_CANCELLING`). Default 0.
   */
  cancelPendingReads?: number;
  /** Azure: 'v1' (default) serves `/openai/v1`; 'dated' serves `/openai` and requires `api-version`. */
  azureApi?: AzureApi;
  /** Bedrock: the credentials requests must be SigV4-signed with (default SIM_AWS_CREDENTIALS). */
  awsCredentials?: AwsCredentials;
  /** Bedrock: the signing region (default 'us-east-1'). */
  awsRegion?: string;
  /** Bedrock: an IAM action to refuse with AccessDeniedException, e.g. 'bedrock:GetModelCustomizationJob' ('bedrock:*': all). */
  awsDeny?: string;
  /** Vertex: `expires_in` of the tokens `/token` issues (3600); they are refused once expired. */
  vertexTokenLifetimeSeconds?: number;
  /** Vertex: the only subject token `/token` exchanges (default 'sim-oidc-token'). */
  vertexSubjectToken?: string;
  /** Vertex: an IAM permission to refuse with PERMISSION_DENIED, e.g. 'aiplatform.tuningJobs.get'. */
  vertexDeny?: string;
}

export interface FakeProvider {
  /**
   * API root as a client configures it: `http://127.0.0.1:<port>/v1` (Together, OpenAI, Nebius,
   * Fireworks, Vertex), `…/openai/v1` or `…/openai` (Azure v1 or dated), `http://127.0.0.1:<port>` (Bedrock).
   */
  readonly baseUrl: string;
  /** `http://127.0.0.1:<port>`; Vertex's token endpoint is `${origin}/token`. */
  readonly origin: string;
  readonly port: number;
  readonly provider: ProviderName;
  readonly requests: RequestRecord[];
  /** Vertex `/token` requests (not in `requests`, and never faulted); empty for other providers. */
  readonly tokenRequests: TokenRequestRecord[];
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

/** Bodies are read only where they matter: SigV4 hashes them, the token endpoint parses them. */
const MAX_BODY_BYTES = 1 << 20;

export async function startFakeProvider(options: FakeProviderOptions): Promise<FakeProvider> {
  const { provider } = options;
  const jobs = new Map<string, SimJob>();
  const requests: RequestRecord[] = [];
  const closing = new AbortController();
  let faultHook = options.fault;
  const root = apiRoot(provider, options.azureApi);
  const ctx: HandlerContext = {
    provider,
    jobs,
    eventOrder: provider === 'together' ? 'asc' : (options.eventOrder ?? defaultEventOrder(provider)),
    defaultLimit: options.defaultLimit ?? 20,
    maxLimit: options.maxLimit ?? 100,
    autoAdvance: (options.advanceOn ?? 'job-get') === 'job-get',
    overlapPages: options.overlapPages ?? false,
  };
  const awsRegion = options.awsRegion ?? 'us-east-1';
  const issuer =
    provider === 'vertex'
      ? new TokenIssuer({
          subjectToken: options.vertexSubjectToken ?? SIM_SUBJECT_TOKEN,
          lifetimeSeconds: options.vertexTokenLifetimeSeconds ?? 3600,
        })
      : undefined;
  const gate = createGate({
    provider,
    apiKey: options.apiKey,
    azureApi: options.azureApi ?? 'v1',
    aws: {
      credentials: options.awsCredentials ?? SIM_AWS_CREDENTIALS,
      region: awsRegion,
      service: 'bedrock',
      ...(options.awsDeny === undefined ? {} : { deny: options.awsDeny }),
      arnOf: (identifier) => bedrockResourceArn(ctx, identifier, awsRegion),
    },
    ...(issuer === undefined
      ? {}
      : { google: { issuer, ...(options.vertexDeny === undefined ? {} : { deny: options.vertexDeny }) } }),
  });

  const addJob = (jobId: string, scenario: Scenario): SimJob => {
    const job = new SimJob(jobId, provider, scenario, {
      ...(options.cancelPendingReads === undefined ? {} : { cancelPendingReads: options.cancelPendingReads }),
    });
    jobs.set(jobId, job);
    return job;
  };
  for (const [jobId, scenario] of Object.entries(options.jobs ?? {})) addJob(jobId, scenario);

  const getJob = (jobId: string): SimJob => {
    const job = jobs.get(jobId);
    if (!job) throw new Error(`fake ${provider} provider has no job ${jobId}`);
    return job;
  };

  let tokenAttempts = 0;
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    const body = provider === 'bedrock' || provider === 'vertex' ? await readBody(req) : drain(req);
    if (issuer && method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(body.toString('utf8'));
      respond(req, res, () => issuer.exchange(form), options.tokenFault?.(tokenAttempts++));
      return;
    }
    const match = matchRoute(provider, method, url.pathname, root);
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
    // Checked before any fault replaces the answer, but with no side effect on the jobs.
    const refusal = await gate({
      method,
      rawUrl: req.url ?? '/',
      headers: req.headers,
      body,
      query: record.query,
      match,
    });
    const compute = (): Reply => withRequestId(provider, refusal ?? handle(ctx, match, record.query));
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
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: `${origin}${root}`,
    origin,
    port,
    provider,
    requests,
    tokenRequests: issuer?.requests ?? [],
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

/**
 * The job ARN IAM names when it refuses a Bedrock call: the job's own (the identifier may be its
 * name), else the identifier as sent, made into an ARN if it is not one (IAM refuses before the
 * service looks the job up).
 */
function bedrockResourceArn(ctx: HandlerContext, identifier: string, region: string): string {
  const job = findJob(ctx, identifier);
  if (job) return job.id;
  if (bedrockArnParts(identifier)) return identifier;
  return `arn:aws:bedrock:${region}:123456789012:model-customization-job/${identifier}`;
}

function defaultEventOrder(provider: ProviderName): 'asc' | 'desc' {
  // Azure lists events newest first, as its tutorial's real output shows and OpenAI does.
  return provider === 'openai' || provider === 'azure-openai' ? 'desc' : 'asc';
}

/** Request ids the real APIs attach to every answer (AWS `x-amzn-RequestId`, Azure `apim-request-id`). */
function withRequestId(provider: ProviderName, reply: Reply): Reply {
  const name =
    provider === 'bedrock' ? 'x-amzn-requestid' : provider === 'azure-openai' ? 'apim-request-id' : undefined;
  return name ? { ...reply, headers: { [name]: randomUUID(), ...reply.headers } } : reply;
}

const EMPTY = Buffer.alloc(0);

/** Request bodies are not needed: drain them so the socket stays usable. */
function drain(req: IncomingMessage): Buffer {
  req.resume();
  return EMPTY;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size <= MAX_BODY_BYTES) chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
