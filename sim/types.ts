/** Shared types of the simulated provider: scenarios (what a job does) and the HTTP record. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Every platform the simulator serves, in the order usage lines and tables show them. */
export const PROVIDER_NAMES = [
  'together',
  'openai',
  'nebius',
  'azure-openai',
  'fireworks',
  'bedrock',
  'vertex',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * One event as a scenario describes it; rendered into each provider's own event shape. Fireworks,
 * Bedrock and Vertex serve no events: their scenarios move through `status`, `at` and `job` alone.
 */
export interface SimEvent {
  message: string;
  /** Omitted: 'info'. Kept exactly as given otherwise ('', null and UPPERCASE included). */
  level?: string | null;
  /** Omitted: Together 'job_start'; OpenAI/Nebius/Azure 'metrics' when data has a step, else 'message'. */
  type?: string | null;
  /** Seconds after the job's start (fractions allowed). Omitted: one second after the previous event. */
  at?: number;
  /** With `at` omitted: the same time as the previous event (a genuinely repeated event). */
  sameTimeAsPrevious?: boolean;
  /** OpenAI/Nebius/Azure `data`; omitted: null (Azure: no `data` key). Together events have no such field. */
  data?: unknown;
  /** Merged last into the rendered event, so it can add or override any field (e.g. model_path, id). */
  extra?: Record<string, unknown>;
}

export interface SimCheckpoint {
  step: number;
  /** Seconds after the job's start. Omitted: the time of the newest event. */
  at?: number;
  /** OpenAI/Nebius/Azure checkpoint id. Omitted: a generated `ftckpt_…` (Azure `ftchkpt-<32 hex>`). */
  id?: string;
  /** OpenAI/Nebius/Azure `fine_tuned_model_checkpoint`, Together `path`. Omitted: derived from the job. */
  model?: string | null;
  /** Together `checkpoint_type`. Omitted: 'Intermediate'. */
  type?: string;
  /** OpenAI/Nebius/Azure checkpoint `metrics`. Omitted: `{step}`. */
  metrics?: Record<string, number>;
  extra?: Record<string, unknown>;
}

export interface Stage {
  /** The platform's own status string (`running`, `JOB_STATE_RUNNING`, `InProgress`, …). */
  status: string;
  /**
   * Seconds after the job's start when it enters this stage. Fireworks, Bedrock and Vertex have no
   * events to date their progress, so their update times come from here. Omitted: unchanged.
   */
  at?: number;
  events?: SimEvent[];
  checkpoints?: SimCheckpoint[];
  /** Together `/metrics` rows, e.g. `{timestamp, 'train/global_step', 'train/loss'}`. */
  metrics?: Record<string, number>[];
  /**
   * Merged into the job object on entering the stage (fine_tuned_model, error, jobProgress,
   * statusDetails, tunedModel, …). On Fireworks, Bedrock and Vertex an undefined value removes a field.
   */
  job?: Record<string, unknown>;
}

export interface Scenario {
  stages: Stage[];
  /**
   * Base job fields. `created_at` (unix seconds, or an ISO string) is also the job's start, the
   * zero of every `at`; without it the start is the moment the job is added. Fireworks, Bedrock and
   * Vertex render their own creation time from the start and do not echo `created_at`.
   */
  job?: Record<string, unknown>;
}

/** A ready-made scenario with the job id and provider it belongs to (see scenarios.ts). */
export interface NamedScenario extends Scenario {
  id: string;
  provider: ProviderName;
}

/** What the server remembers of each request, for tests that assert request economy. */
export interface RequestRecord {
  method: string;
  /** Path as requested, without the query (e.g. `/v1/fine-tunes/ft-1/events`). */
  path: string;
  query: Record<string, string>;
  /** Date.now() when the request arrived. */
  time: number;
  route: RouteName;
  jobId?: string;
  /** Status code sent; undefined while pending or when the connection was dropped by a fault. */
  status?: number;
}

/** `jobs`: the list of jobs (OpenAI, Nebius, Azure `GET …/fine_tuning/jobs`), newest first. */
export type RouteName = 'job' | 'jobs' | 'events' | 'checkpoints' | 'metrics' | 'cancel' | 'unknown';

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'reset' }
  | { kind: 'reset-mid-body' }
  | { kind: 'delay'; ms: number }
  | { kind: 'truncate' }
  | { kind: 'raw'; status?: number; contentType?: string; body: string }
  /** Writes the response itself: streamed or endless bodies, odd headers, anything a hostile server sends. */
  | { kind: 'write'; write: (res: ServerResponse, req: IncomingMessage) => void };

/** An HTTP reply before it is written, so faults can cut or replace it. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
