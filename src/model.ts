import type { ProviderName } from './constants.js';

/** Where the provider's job stands, in our own words. `running` covers every non-final state. */
export type JobState = 'succeeded' | 'failed' | 'cancelled' | 'running';

export type EventLevel = 'info' | 'warning' | 'error';

/** What we keep of progress; every field is optional because each provider reports different ones. */
export interface Progress {
  step?: number;
  totalSteps?: number;
  epochsCompleted?: number;
  totalEpochs?: number;
  /** Seconds until the provider expects the job (or its current phase) to finish. */
  secondsRemaining?: number;
  /** How far along, 0–100, where the provider says only that (Fireworks). */
  percent?: number;
}

/** One read of the job object, normalised across providers. */
export interface JobSnapshot {
  /** The provider's own status string, as sent ('' when it sent none). */
  providerStatus: string;
  state: JobState;
  /** False when the status is not in our table (treated as running, with a warning). */
  statusKnown: boolean;
  model: string | null;
  modelPath: string | null;
  error: string | null;
  baseModel: string | null;
  trainedTokens: number | null;
  createdAt: string | null;
  finishedAt: string | null;
  progress: Progress;
}

/** One event, normalised. `key` identifies it across pages, polls and retries. */
export interface FtEvent {
  key: string;
  id: string | null;
  /** ISO 8601. */
  createdAt: string;
  level: EventLevel;
  /** Lower-cased; `message` when the provider sent none. */
  type: string;
  message: string;
  data: Record<string, unknown> | null;
  /** Together events may name where the model was written. */
  modelPath: string | null;
}

export interface Checkpoint {
  id: string | null;
  step: number | null;
  model: string | null;
  createdAt: string | null;
  metrics: Record<string, number> | null;
}

/** A row of training metrics as the provider names them, e.g. {step, train_loss} or {"train/loss"}. */
export type MetricsRow = Record<string, number>;

export interface JobRef {
  provider: ProviderName;
  jobId: string;
  baseUrl: string;
}
