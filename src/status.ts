import type { ProviderName } from './constants.js';
import type { JobState } from './model.js';

const TOGETHER_STATES: Record<string, JobState> = {
  completed: 'succeeded',
  error: 'failed',
  user_error: 'failed',
  cancelled: 'cancelled',
  pending: 'running',
  queued: 'running',
  running: 'running',
  compressing: 'running',
  uploading: 'running',
  cancel_requested: 'running',
};

/** OpenAI's table; Nebius Token Factory follows it. `created` and `pending` are older names. */
const OPENAI_STATES: Record<string, JobState> = {
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  validating_files: 'running',
  queued: 'running',
  running: 'running',
  paused: 'running',
  created: 'running',
  pending: 'running',
};

const TABLES: Record<ProviderName, Record<string, JobState>> = {
  together: TOGETHER_STATES,
  openai: OPENAI_STATES,
  nebius: OPENAI_STATES,
};

/** Maps a provider status to our state, case-insensitively; unknown statuses count as running. */
export function classifyStatus(provider: ProviderName, status: string): { state: JobState; known: boolean } {
  const state = Object.hasOwn(TABLES[provider], status.trim().toLowerCase())
    ? TABLES[provider][status.trim().toLowerCase()]
    : undefined;
  return state ? { state, known: true } : { state: 'running', known: false };
}

export const isFinal = (state: JobState): boolean => state !== 'running';
