import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REQUEST_TIMEOUT_MS } from '../constants.js';
import {
  ActionError,
  DeadlineReached,
  NotFoundError,
  ProviderUnavailable,
  RunCancelled,
  TransientError,
} from '../errors.js';
import { policyFor } from '../http/backoff.js';
import type { HttpClient } from '../http/http-client.js';
import { type Exchange, UndiciHttpClient } from '../http/undici-client.js';
import type { JobRef, JobSnapshot } from '../model.js';
import { type Platform, platformOf, type Provider } from '../providers/index.js';
import { combineReporters } from '../report/combine.js';
import type { Log } from '../report/log.js';
import { formatDuration } from '../report/safe-text.js';
import type { Settings } from '../settings.js';
import { setLongTimeout } from '../timers.js';
import { type Vocabulary, workflowVocabulary } from '../vocabulary.js';
import {
  decideEnding,
  type Ending,
  type LastRequestsBudget,
  outcomeAfterCancel,
  type StopCause,
} from './ending.js';
import { EventLog } from './event-log.js';
import { NonFiniteLosses } from './loss-warnings.js';
import { assembleReport, type Extras, type JobReport, NO_EXTRAS } from './job-report.js';
import { watch, type WatchReporter, type WatchResult } from './poll-loop.js';
import { unknownStatusWarning } from './unknown-status.js';
import { describeEventsError, describeRetry, describeStart, transportWords } from './wording.js';

/** Without a single request in a minute, there is still a heartbeat to show the step is alive. */
const HEARTBEAT_MS = 60_000;
/**
 * After our deadline the last requests (cancel, checkpoints) share this budget, capped at one
 * request timeout: the wait ends within timeout-minutes plus one request timeout.
 */
const AFTER_DEADLINE_BUDGET_MS = 10_000;
/** After the runner cancels the step: the cancel request, within the 5 s we promise. */
const AFTER_ABORT_BUDGET_MS = 2_500;
/** With `wait: false` a dead API should fail the check, not hold it until timeout-minutes. */
const CHECK_ONCE_ATTEMPTS = 5;
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
  /** How errors name what the user can change: a workflow's inputs (default) or a command line's flags. */
  vocabulary?: Vocabulary;
  /** The HTTP client to use instead of undici's (tests without a network). */
  client?: HttpClient;
  /** Receives each request, for a debug log. */
  onExchange?: (exchange: Exchange) => void;
  /** Where the job's events are kept (one file for a set of jobs); default: a file of its own. */
  eventLog?: EventLog;
  /** The poll loop's sleep (a set of jobs shares one clock, so their reads go together). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Runs each read of new events (a set's jobs take turns: turns.ts). */
  eventsTurn?: <T>(read: () => Promise<T>) => Promise<T>;
  /** Part of a set: the set prints the start line and the heartbeat, not each job. */
  inSet?: boolean;
}

export function jobRefOf(settings: Settings): JobRef {
  return { provider: settings.provider, jobId: settings.jobId, baseUrl: settings.baseUrl };
}

/** What the watch itself found: how it ended, the job as last read, and extras already under way. */
interface Watched {
  cause: StopCause;
  job: JobSnapshot | null;
  extras: Promise<Extras> | null;
  /** The signal that cancelled the step, when the runner did. */
  signalName: string | null;
}

/**
 * Watches one job from start to end and gathers what the outputs and the summary need, in
 * steps that each return what they found: the watch, the decision its end makes (ending.ts),
 * the cancel it may call for, the extras, and the report assembled from all of them.
 */
export async function watchJob(settings: Settings, deps: WatchJobDeps): Promise<JobReport> {
  const startedAt = Date.now();
  const platform = platformOf(settings.provider);
  const ref = jobRefOf(settings);
  const requestTimeoutMs = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const extrasBudgetMs = EXTRAS_PATIENCE * requestTimeoutMs;
  const deadline = new AbortController();
  const deadlineTimer =
    settings.timeoutMs === null
      ? undefined
      : setLongTimeout(() => deadline.abort(new DeadlineReached()), settings.timeoutMs);
  const runSignal = AbortSignal.any([deadline.signal, deps.cancelSignal]);
  const env = deps.env ?? process.env;
  // Made once the credentials are found (a cloud's may need its SDK, and may be missing).
  let client: HttpClient | undefined;
  let provider: Provider | undefined;
  const events = deps.eventLog ?? new EventLog(eventsFilePath(settings.jobId, env));
  const lastRequestsSignal = (budget: LastRequestsBudget): AbortSignal => {
    if (budget === 'after-abort') return AbortSignal.timeout(AFTER_ABORT_BUDGET_MS);
    if (budget === 'after-deadline')
      return AbortSignal.any([
        AbortSignal.timeout(Math.min(AFTER_DEADLINE_BUDGET_MS, requestTimeoutMs)),
        deps.cancelSignal,
      ]);
    return AbortSignal.any([runSignal, AbortSignal.timeout(extrasBudgetMs)]);
  };
  const report = (parts: Partial<Parameters<typeof assembleReport>[0]>) =>
    assembleReport({
      ref,
      dashboardUrl: platform.dashboardUrl(ref),
      outcome: null,
      job: null,
      failure: null,
      interrupted: false,
      cancelRequested: false,
      extras: NO_EXTRAS,
      events: events.facts(),
      fallbackModel: (checkpoints) => provider?.fallbackModel(checkpoints) ?? null,
      require: settings.require,
      startedAt,
      finishedAt: Date.now(),
      ...parts,
    });

  const losses = new NonFiniteLosses(deps.log);
  if (!deps.inSet) deps.log.line(describeStart(settings, platform));
  try {
    client =
      deps.client ??
      new UndiciHttpClient({
        baseUrl: settings.baseUrl,
        auth: await platform.auth(settings, env),
        words: transportWords(platform, ref, deps.vocabulary ?? workflowVocabulary),
        errorDetail: platform.errorDetail,
        retry: policyFor(
          settings.pollIntervalMs,
          settings.wait ? Number.POSITIVE_INFINITY : CHECK_ONCE_ATTEMPTS,
        ),
        requestTimeoutMs,
        onRetry: (notice) => deps.log.line(describeRetry(notice)),
        onExchange: deps.onExchange,
        env,
      });
    provider = platform.create(ref, client, { inSet: deps.inSet ?? false });
    const watched = await watchUntilEnd(provider, events, settings, {
      sleep: deps.sleep,
      eventsTurn: deps.eventsTurn,
      heartbeat: !deps.inSet,
      log: deps.log,
      reporter: combineReporters(unknownStatusWarning(deps.log, platform), losses.reporter(), deps.reporter),
      signal: runSignal,
      extrasBudgetMs,
      lastRequestsSignal,
    });
    const ending = decideEnding({ cause: watched.cause, state: watched.job?.state ?? null, ...settings });
    logEnding(deps.log, ending, watched, settings);
    const cancel = ending.cancel
      ? await requestCancel(provider, platform, deps.log, lastRequestsSignal(ending.budget))
      : { accepted: false, job: null };
    const extras = await (watched.extras ??
      (ending.readExtras
        ? readExtras(provider, deps.log, lastRequestsSignal(ending.budget))
        : Promise.resolve(NO_EXTRAS)));
    losses.check([
      ...extras.metricRows,
      ...extras.checkpoints.flatMap((checkpoint) => (checkpoint.metrics ? [checkpoint.metrics] : [])),
    ]);
    return report({
      outcome: outcomeAfterCancel(ending, cancel.accepted),
      job: cancel.job ?? watched.job,
      interrupted: ending.interrupted,
      cancelRequested: cancel.accepted,
      extras,
    });
  } catch (error) {
    const failure =
      error instanceof TransientError
        ? new ProviderUnavailable(`the API did not answer usably: ${error.message}`)
        : error;
    if (!(failure instanceof ActionError)) throw error;
    return report({ failure });
  } finally {
    deadlineTimer?.clear();
    // Not awaited: the connections close while the outputs and the summary are written, and the
    // process exits once they have. No request is in flight by now.
    if (!deps.client) void client?.close();
  }
}

interface WatchContext {
  sleep: ((ms: number, signal: AbortSignal) => Promise<void>) | undefined;
  eventsTurn: (<T>(read: () => Promise<T>) => Promise<T>) | undefined;
  /** false: the set's own heartbeat speaks for this job. */
  heartbeat: boolean;
  log: Log;
  reporter: WatchReporter;
  signal: AbortSignal;
  extrasBudgetMs: number;
  lastRequestsSignal: (budget: LastRequestsBudget) => AbortSignal;
}

/** The poll loop, until the job ends, the deadline passes or the runner cancels the step. */
async function watchUntilEnd(
  provider: Provider,
  events: EventLog,
  settings: Settings,
  context: WatchContext,
): Promise<Watched> {
  // Started as soon as the final status is seen, alongside the last read of events.
  let extras: Promise<Extras> | null = null;
  const result: WatchResult = await watch(provider, events, context.reporter, {
    wait: settings.wait,
    pollIntervalMs: settings.pollIntervalMs,
    heartbeatMs: context.heartbeat
      ? Math.max(HEARTBEAT_MS, settings.pollIntervalMs)
      : Number.POSITIVE_INFINITY,
    ...(context.sleep ? { sleep: context.sleep } : {}),
    ...(context.eventsTurn ? { eventsTurn: context.eventsTurn } : {}),
    signal: context.signal,
    eventsRetryForMs: context.extrasBudgetMs,
    onEventsError: (error, { final, lasting }) =>
      context.log.warning(describeEventsError(error, final, lasting)),
    onFinal: () => {
      extras = readExtras(provider, context.log, context.lastRequestsSignal('extras'));
    },
  });
  const signalName = result.stopReason instanceof RunCancelled ? result.stopReason.signalName : null;
  return { cause: stopCauseOf(result), job: result.job, extras, signalName };
}

function stopCauseOf(result: WatchResult): StopCause {
  if (result.end !== 'stopped') return result.end;
  if (result.stopReason instanceof DeadlineReached) return 'deadline';
  if (result.stopReason instanceof RunCancelled) return 'cancelled';
  throw result.stopReason;
}

function logEnding(log: Log, ending: Ending, watched: Watched, settings: Settings): void {
  if (watched.cause === 'deadline' && ending.outcome === 'timed_out')
    log.line(`Stopped waiting: timeout-minutes (${formatDuration(settings.timeoutMs ?? 0)}) ran out.`);
  if (ending.interrupted) log.line(`Stopped waiting: the run was cancelled (${watched.signalName}).`);
}

/**
 * Checkpoints and the metrics endpoint, side by side: nice to have, never a reason to fail the
 * step. Never rejects.
 */
async function readExtras(provider: Provider, log: Log, signal: AbortSignal): Promise<Extras> {
  const [checkpoints, metricRows] = await Promise.all([
    optional(log, signal, 'checkpoints', () => provider.readCheckpoints(signal)),
    optional(log, signal, 'training metrics', () => provider.readMetricRows(signal)),
  ]);
  return { checkpoints, metricRows };
}

async function optional<T>(
  log: Log,
  signal: AbortSignal,
  what: string,
  read: () => Promise<T[]>,
): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    // Some deployments have no such endpoint; that is not news worth a warning. Neither is a
    // read cut short by a cancelled run, which says so itself.
    if (!(error instanceof NotFoundError) && !(signal.reason instanceof RunCancelled))
      log.warning(`Could not read the job's ${what}: ${messageOf(error)}`);
    return [];
  }
}

/** Asks the provider to cancel the job, once; whether it accepted, and the job as it then says. */
async function requestCancel(
  provider: Provider,
  platform: Platform,
  log: Log,
  signal: AbortSignal,
): Promise<{ accepted: boolean; job: JobSnapshot | null }> {
  try {
    const job = await provider.cancel(signal, 2);
    log.line(`Asked ${platform.displayName} to cancel job ${provider.ref.jobId}.`);
    return { accepted: true, job };
  } catch (error) {
    log.warning(`Could not cancel job ${provider.ref.jobId}: ${messageOf(error)}`);
    return { accepted: false, job: null };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function eventsFilePath(jobId: string, env: NodeJS.ProcessEnv): string {
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'fine-tune-watch');
  mkdirSync(dir, { recursive: true });
  const safeId = jobId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100);
  return join(dir, `${safeId}-${Date.now()}-${process.pid}.events.ndjson`);
}
