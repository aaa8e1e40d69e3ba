/**
 * What differs between the simulated platforms apart from their wire shapes: where the API lives,
 * which statuses end a job, and how a cancel plays out.
 */
import type { ProviderName, SimEvent } from './types.js';

export type AzureApi = 'v1' | 'dated';

/** Path of the API root under the server's origin (the path part of `baseUrl`). */
export function apiRoot(provider: ProviderName, azureApi: AzureApi = 'v1'): string {
  if (provider === 'azure-openai') return azureApi === 'v1' ? '/openai/v1' : '/openai';
  // Bedrock's REST paths carry no version segment: `/model-customization-jobs/{id}`.
  if (provider === 'bedrock') return '';
  return '/v1';
}

/** Platforms whose only view of a job is the job object: no events, no checkpoint list. */
export function hasNoEvents(provider: ProviderName): provider is 'fireworks' | 'bedrock' | 'vertex' {
  return provider === 'fireworks' || provider === 'bedrock' || provider === 'vertex';
}

const lowerSet = (statuses: readonly string[]) => new Set(statuses.map((s) => s.toLowerCase()));

/** The first three providers always shared one set: a scenario may end any of them with any of these. */
const SHARED_TERMINAL = lowerSet(['completed', 'error', 'user_error', 'cancelled', 'succeeded', 'failed']);

/** Statuses after which a job never changes again, lower-cased (statuses are compared case-insensitively). */
const TERMINAL: Record<ProviderName, ReadonlySet<string>> = {
  together: SHARED_TERMINAL,
  openai: SHARED_TERMINAL,
  nebius: SHARED_TERMINAL,
  'azure-openai': lowerSet(['succeeded', 'failed', 'cancelled']),
  fireworks: lowerSet([
    'JOB_STATE_COMPLETED',
    'JOB_STATE_FAILED',
    'JOB_STATE_CANCELLED',
    'JOB_STATE_EXPIRED',
  ]),
  bedrock: lowerSet(['Completed', 'Failed', 'Stopped']),
  vertex: lowerSet([
    'JOB_STATE_SUCCEEDED',
    'JOB_STATE_FAILED',
    'JOB_STATE_CANCELLED',
    'JOB_STATE_EXPIRED',
    'JOB_STATE_PARTIALLY_SUCCEEDED',
  ]),
};

export function isTerminalStatus(provider: ProviderName, status: string): boolean {
  return TERMINAL[provider].has(status.toLowerCase());
}

/** The parts of a job a cancel plan reads to date what it writes. */
export interface CancelClock {
  readonly start: number;
  lastAt(): number;
}

/**
 * How a platform answers a cancel. Some end the job at once; others acknowledge it first
 * (Together `cancel_requested`, Bedrock `Stopping`, Fireworks and Vertex `JOB_STATE_CANCELLING`) and
 * report the final status on a later read of the job.
 */
export interface CancelPlan {
  acknowledged: string;
  /** The final status; the same as `acknowledged` when the cancel is immediate. */
  settled: string;
  acknowledgedEvents?: readonly SimEvent[];
  settledEvents?: readonly SimEvent[];
  /** Job fields written when the job settles. */
  settledFields?: (job: CancelClock) => Record<string, unknown>;
}

const openaiStyleCancel: CancelPlan = {
  acknowledged: 'cancelled',
  settled: 'cancelled',
  settledFields: (job) => ({ finished_at: Math.floor(job.start + job.lastAt() + 1), estimated_finish: null }),
};

const CANCEL_PLANS: Record<ProviderName, CancelPlan> = {
  together: {
    acknowledged: 'cancel_requested',
    settled: 'cancelled',
    acknowledgedEvents: [{ message: 'Job cancel requested', type: 'cancel_requested' }],
    settledEvents: [{ message: 'Job stopped', type: 'job_stopped', level: 'info' }],
  },
  openai: openaiStyleCancel,
  nebius: openaiStyleCancel,
  'azure-openai': openaiStyleCancel,
  fireworks: { acknowledged: 'JOB_STATE_CANCELLING', settled: 'JOB_STATE_CANCELLED' },
  bedrock: { acknowledged: 'Stopping', settled: 'Stopped' },
  vertex: {
    acknowledged: 'JOB_STATE_CANCELLING',
    settled: 'JOB_STATE_CANCELLED',
    // genai_tuning_service.proto: a cancelled job has `error.code` 1 (google.rpc.Code CANCELLED).
    settledFields: () => ({ error: { code: 1, message: 'CANCELLED' } }),
  },
};

export function cancelPlan(provider: ProviderName): CancelPlan {
  return CANCEL_PLANS[provider];
}
