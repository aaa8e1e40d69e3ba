import type { Outcome } from '../constants.js';
import { type Condition, evaluateGates, type GateResult } from '../gates.js';
import { collectMetricRows, latestMetrics } from '../metrics.js';
import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../model.js';
import { clipText } from '../report/safe-text.js';

/** Everything known at the end of a run: what outputs, the summary and the exit code are made of. */
export interface JobReport {
  ref: JobRef;
  /** null when the step ended on an error before any outcome (bad key, unknown job, …). */
  outcome: Outcome | null;
  job: JobSnapshot | null;
  /** The model to deploy: only a job that succeeded has one. */
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
  /** Each quality gate with the value it met, in the order written; [] without `require`. */
  gates: GateResult[];
}

/** What the events of a run tell the report (see EventLog.facts). */
export interface EventFacts {
  count: number;
  filePath: string;
  recent: readonly FtEvent[];
  /** The newest error-level message: Together reports failures only this way. */
  lastErrorMessage: string | null;
  newestModelPath: string | null;
  /** Metrics carried by events (OpenAI's `metrics` events), oldest first, perhaps thinned. */
  metricRows: readonly MetricsRow[];
  /** Every metric's latest value across all metrics events, thinned or not. */
  latestMetrics: MetricsRow;
}

/** Checkpoints and the metrics endpoint: read once the job has ended. */
export interface Extras {
  checkpoints: Checkpoint[];
  metricRows: MetricsRow[];
}

export const NO_EXTRAS: Extras = { checkpoints: [], metricRows: [] };

export interface ReportParts {
  ref: JobRef;
  dashboardUrl: string | null;
  outcome: Outcome | null;
  job: JobSnapshot | null;
  failure: Error | null;
  interrupted: boolean;
  cancelRequested: boolean;
  extras: Extras;
  events: EventFacts;
  /** The model to name when the job names none but its checkpoints do (Nebius). */
  fallbackModel: (checkpoints: readonly Checkpoint[]) => string | null;
  /** Quality gates, checked once the job has succeeded. */
  require: readonly Condition[];
  startedAt: number;
  finishedAt: number;
}

/**
 * The provider's error message is an output and part of the step's failure annotation. A
 * provider can send megabytes; the runner refuses outputs over 1 MB, and no one reads that far.
 */
const MAX_ERROR_LENGTH = 10_000;

/** The report, from what the run found. */
export function assembleReport(parts: ReportParts): JobReport {
  const { job, events, extras } = parts;
  const metricRows = collectMetricRows(events.metricRows, extras.metricRows, extras.checkpoints);
  // Event metrics may have been thinned (EventLog): their latest values come last, so none is lost.
  const metrics = latestMetrics([...metricRows, events.latestMetrics]);
  // The gates decide between succeeded and rejected; a job that did not succeed is not judged.
  const gates = evaluateGates(parts.require, metrics);
  const rejected = parts.outcome === 'succeeded' && gates.reasons.length > 0;
  const outcome: Outcome | null = rejected ? 'rejected' : parts.outcome;
  return {
    ref: parts.ref,
    outcome,
    job,
    // The model to deploy: only a job that succeeded has one (Together names it from the start).
    model: outcome === 'succeeded' ? (job?.model ?? parts.fallbackModel(extras.checkpoints)) : null,
    modelPath: job?.modelPath ?? events.newestModelPath,
    error: parts.failure
      ? parts.failure.message
      : outcome === 'failed'
        ? clipText(job?.error ?? events.lastErrorMessage ?? 'the provider gave no reason', MAX_ERROR_LENGTH)
        : rejected
          ? `The model did not pass its quality gates: ${gates.reasons.join('; ')}.`
          : null,
    failure: parts.failure,
    eventsCount: events.count,
    eventsFile: events.filePath,
    checkpoints: extras.checkpoints,
    metrics,
    metricRows,
    recentEvents: events.recent,
    startedAt: parts.startedAt,
    finishedAt: parts.finishedAt,
    interrupted: parts.interrupted,
    cancelRequested: parts.cancelRequested,
    dashboardUrl: parts.dashboardUrl,
    gates: gates.results,
  };
}
