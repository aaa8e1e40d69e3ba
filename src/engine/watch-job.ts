import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DISPLAY_NAMES, type Outcome, REQUEST_TIMEOUT_MS } from '../constants.js';
import {
  ActionError,
  ApiError,
  DeadlineReached,
  NotFoundError,
  ProviderUnavailable,
  RunCancelled,
  TransientError,
} from '../errors.js';
import { EventLog } from './event-log.js';
import { policyFor } from '../http/backoff.js';
import { ApiClient, type RetryNotice } from '../http/client.js';
import type { Settings } from '../settings.js';
import type { JobReport } from './job-report.js';
import { collectMetricRows, latestMetrics } from '../metrics.js';
import type { Checkpoint, JobRef, MetricsRow } from '../model.js';
import { createProvider, dashboardUrlFor, type Provider } from '../providers/index.js';
import { clipText, formatDuration } from '../report/safe-text.js';
import type { Log } from '../report/log.js';
import { setLongTimeout } from '../timers.js';
import { isFinal } from '../status.js';
import { DEFAULT_POLL_INTERVAL_MS } from './poll-pace.js';
import { type WatchReporter, watch } from './poll-loop.js';

/** Without a single request in a minute, there is still a heartbeat to show the step is alive. */
const HEARTBEAT_MS = 60_000;
/**
 * After our deadline or a cancellation, the last requests (cancel, checkpoints) share this budget.
 * After the deadline it is also capped at one request timeout: the wait ends within
 * timeout-minutes plus one request timeout, whatever those last requests meet.
 */
const AFTER_DEADLINE_BUDGET_MS = 10_000;
const AFTER_ABORT_BUDGET_MS = 2_500;
/** With `wait: false` a dead API should fail the check, not hold it until timeout-minutes. */
const CHECK_ONCE_ATTEMPTS = 5;
/**
 * The provider's error message is an output and part of the step's failure annotation. A
 * provider can send megabytes; the runner refuses outputs over 1 MB, and no one reads that far.
 */
const MAX_ERROR_LENGTH = 10_000;
/**
 * Reads that are extras (checkpoints, metrics, events after the end) give up once faults have
 * held them for this many request timeouts (a minute): the job's status decides the outcome.
 */
const EXTRAS_PATIENCE = 2;

export interface WatchJobDeps {
  log: Log;
  /** Receives what the poll loop sees (status changes, events, heartbeats). */
  reporter: WatchReporter;
  /** Aborts with RunCancelled when the runner cancels the step. */
  cancelSignal: AbortSignal;
  env?: NodeJS.ProcessEnv;
  requestTimeoutMs?: number;
}

export function jobRefOf(settings: Settings): JobRef {
  return { provider: settings.provider, jobId: settings.jobId, baseUrl: settings.baseUrl };
}

/** Watches one job from start to end and gathers what the outputs and the summary need. */
export async function watchJob(settings: Settings, deps: WatchJobDeps): Promise<JobReport> {
  const { log } = deps;
  const startedAt = Date.now();
  const ref: JobRef = {
    provider: settings.provider,
    jobId: settings.jobId,
    baseUrl: settings.baseUrl,
  };
  const deadline = new AbortController();
  const deadlineTimer =
    settings.timeoutMs === null
      ? undefined
      : setLongTimeout(() => deadline.abort(new DeadlineReached()), settings.timeoutMs);
  const requestTimeoutMs = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const extrasBudgetMs = EXTRAS_PATIENCE * requestTimeoutMs;
  const runSignal = AbortSignal.any([deadline.signal, deps.cancelSignal]);
  const client = new ApiClient(ref, {
    apiKey: settings.apiKey,
    retry: policyFor(settings.pollIntervalMs, settings.wait ? Number.POSITIVE_INFINITY : CHECK_ONCE_ATTEMPTS),
    requestTimeoutMs: deps.requestTimeoutMs,
    onRetry: (notice) => log.line(describeRetry(notice)),
  });
  const provider = createProvider(ref, client);
  const events = new EventLog(eventsFilePath(settings.jobId, deps.env ?? process.env));
  const report: JobReport = {
    ref,
    outcome: null,
    job: null,
    model: null,
    modelPath: null,
    error: null,
    failure: null,
    eventsCount: 0,
    eventsFile: events.filePath,
    checkpoints: [],
    metrics: {},
    metricRows: [],
    recentEvents: [],
    startedAt,
    finishedAt: startedAt,
    interrupted: false,
    cancelRequested: false,
    dashboardUrl: dashboardUrlFor(ref),
  };

  log.line(describeStart(settings));
  // Started as soon as the final status is seen, alongside the last read of events.
  let extrasRead: Promise<void> | undefined;
  try {
    const result = await watch(provider, events, deps.reporter, {
      wait: settings.wait,
      pollIntervalMs: settings.pollIntervalMs,
      heartbeatMs: Math.max(HEARTBEAT_MS, settings.pollIntervalMs),
      signal: runSignal,
      eventsRetryForMs: extrasBudgetMs,
      onEventsError: (error, { final, lasting }) => log.warning(describeEventsError(error, final, lasting)),
      onFinal: () => {
        const signal = AbortSignal.any([runSignal, AbortSignal.timeout(extrasBudgetMs)]);
        extrasRead = readExtras(provider, log, signal, report);
      },
    });
    report.job = result.job;
    let outcome: Outcome = result.job?.state ?? 'running';
    let extrasSignal = AbortSignal.any([runSignal, AbortSignal.timeout(extrasBudgetMs)]);
    // The stop can come during the last read of events, after the final status was seen: the
    // job has ended then, its outcome is known, and there is nothing left to cancel.
    const jobEnded = result.job !== null && isFinal(result.job.state);
    if (result.stopReason instanceof DeadlineReached) {
      const budget = Math.min(AFTER_DEADLINE_BUDGET_MS, requestTimeoutMs);
      extrasSignal = AbortSignal.any([AbortSignal.timeout(budget), deps.cancelSignal]);
      if (!jobEnded) {
        outcome = 'timed_out';
        log.line(`Stopped waiting: timeout-minutes (${formatDuration(settings.timeoutMs ?? 0)}) ran out.`);
        if (settings.cancelOnTimeout)
          report.cancelRequested = await cancelJob(provider, log, extrasSignal, report);
      }
    } else if (result.stopReason instanceof RunCancelled) {
      report.interrupted = true;
      log.line(`Stopped waiting: the run was cancelled (${result.stopReason.signalName}).`);
      if (settings.cancelOnAbort && !jobEnded) {
        report.cancelRequested = await cancelJob(
          provider,
          log,
          AbortSignal.timeout(AFTER_ABORT_BUDGET_MS),
          report,
        );
      }
      if (report.cancelRequested) outcome = 'cancelled';
    }
    report.outcome = outcome;
    if (extrasRead) await extrasRead;
    else if (!report.interrupted) await readExtras(provider, log, extrasSignal, report);
  } catch (error) {
    const failure =
      error instanceof TransientError
        ? new ProviderUnavailable(`the API did not answer usably: ${error.message}`)
        : error;
    if (!(failure instanceof ActionError)) throw error;
    report.failure = failure;
    report.error = failure.message;
  } finally {
    deadlineTimer?.clear();
    // Not awaited: the connections close while the outputs and the summary are written, and the
    // process exits once they have. No request is in flight by now.
    void client.close();
  }

  const job = report.job;
  // The model to deploy: only a job that succeeded has one (Together names it from the start).
  report.model =
    report.outcome === 'succeeded' ? (job?.model ?? provider.fallbackModel(report.checkpoints)) : null;
  report.modelPath = job?.modelPath ?? events.newestModelPath;
  if (report.outcome === 'failed')
    report.error = clipText(
      job?.error ?? events.lastErrorMessage ?? 'the provider gave no reason',
      MAX_ERROR_LENGTH,
    );
  report.metricRows = collectMetricRows(events.metricsFromEvents, report.metricRows, report.checkpoints);
  // Event metrics may have been thinned (EventLog): their latest values come last, so none is lost.
  report.metrics = latestMetrics([...report.metricRows, events.latestMetricsFromEvents]);
  report.eventsCount = events.count;
  report.recentEvents = events.recent();
  report.finishedAt = Date.now();
  return report;
}

/**
 * Checkpoints and the metrics endpoint, side by side: nice to have, never a reason to fail the
 * step. Never rejects.
 */
async function readExtras(
  provider: Provider,
  log: Log,
  signal: AbortSignal,
  report: JobReport,
): Promise<void> {
  const [checkpoints, metricRows] = await Promise.all([
    optional(log, signal, 'checkpoints', [] as Checkpoint[], () => provider.readCheckpoints(signal)),
    optional(log, signal, 'training metrics', [] as MetricsRow[], () => provider.readMetricRows(signal)),
  ]);
  report.checkpoints = checkpoints;
  report.metricRows = metricRows;
}

async function optional<T>(
  log: Log,
  signal: AbortSignal,
  what: string,
  fallback: T,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    // Some deployments have no such endpoint; that is not news worth a warning. Neither is a
    // read cut short by a cancelled run, which says so itself.
    if (!(error instanceof NotFoundError) && !(signal.reason instanceof RunCancelled))
      log.warning(`Could not read the job's ${what}: ${messageOf(error)}`);
    return fallback;
  }
}

async function cancelJob(
  provider: Provider,
  log: Log,
  signal: AbortSignal,
  report: JobReport,
): Promise<boolean> {
  try {
    const after = await provider.cancel(signal, 2);
    if (after) report.job = after;
    log.line(`Asked ${DISPLAY_NAMES[provider.ref.provider]} to cancel job ${provider.ref.jobId}.`);
    return true;
  } catch (error) {
    log.warning(`Could not cancel job ${provider.ref.jobId}: ${messageOf(error)}`);
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function describeEventsError(error: Error, final: boolean, lasting: boolean): string {
  const what = `The job's ${final ? 'last ' : ''}events could not be read (${detailOf(error)})`;
  if (final) return `${what}; the outcome comes from the job's status.`;
  if (lasting) return `${what}; going on without them: the outcome comes from the job's status.`;
  return `${what}; trying again at the next poll.`;
}

/** The request and the answer, without advice meant for the job itself (a 404 of a sub-route is not a missing job). */
function detailOf(error: Error): string {
  return error instanceof ApiError || error instanceof NotFoundError
    ? (error.detail ?? error.message)
    : error.message;
}

function describeStart(settings: Settings): string {
  const mode = settings.wait
    ? `polling every ${formatDuration(settings.pollIntervalMs)}${settings.pollIntervalMs === DEFAULT_POLL_INTERVAL_MS ? ' (adaptive: slower while queued, sooner near the end)' : ''}${settings.timeoutMs === null ? '' : `, for at most ${formatDuration(settings.timeoutMs)}`}`
    : 'checking once';
  return `Watching ${DISPLAY_NAMES[settings.provider]} job ${settings.jobId} at ${settings.baseUrl}: ${mode}.`;
}

function describeRetry(notice: RetryNotice): string {
  return `${notice.reason}; retrying in ${formatDuration(notice.delayMs)} (attempt ${notice.attempt + 1})`;
}

function eventsFilePath(jobId: string, env: NodeJS.ProcessEnv): string {
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'fine-tune-watch');
  mkdirSync(dir, { recursive: true });
  const safeId = jobId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  return join(dir, `${safeId}-${Date.now()}-${process.pid}.events.ndjson`);
}
