import type { Outcome } from '../constants.js';
import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../model.js';

/** Everything known at the end of a run: what outputs, the summary and the exit code are made of. */
export interface JobReport {
  ref: JobRef;
  /** null when the step ended on an error before any outcome (bad key, unknown job, …). */
  outcome: Outcome | null;
  job: JobSnapshot | null;
  model: string | null;
  modelPath: string | null;
  /** The provider's error message for a failed job, or why the step itself failed. */
  error: string | null;
  /** Set when the step ends on an error of its own rather than on the job's outcome. */
  failure: Error | null;
  eventsCount: number;
  eventsFile: string;
  checkpoints: Checkpoint[];
  /** The latest value of each training metric. */
  metrics: MetricsRow;
  /** Every metrics row, in step order, for charts. */
  metricRows: MetricsRow[];
  recentEvents: readonly FtEvent[];
  startedAt: number;
  finishedAt: number;
  /** The runner cancelled the step (SIGINT/SIGTERM). */
  interrupted: boolean;
  /** We asked the provider to cancel the job, and it accepted. */
  cancelRequested: boolean;
  dashboardUrl: string | null;
}
