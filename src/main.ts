import { setFlagsFromString } from 'node:v8';
import * as core from './action/actions-core.js';
import { readActionInput } from './action/inputs.js';
import { Input, type Output, REQUEST_TIMEOUT_MS } from './constants.js';
import { ActionError } from './errors.js';
import { stopOnSignals } from './signals.js';
import { parseBoolean, readSettings, type Settings } from './settings.js';
import type { JobReport } from './engine/job-report.js';
import { PrComment } from './github/pr-comment.js';
import { combineReporters } from './report/combine.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { outputsBeforeStart, outputsOf } from './report/outputs.js';
import { renderSetSummary } from './report/set-summary.js';
import { renderInputFailure, renderSummary } from './report/summary.js';
import { WorkflowLog } from './report/workflow-log.js';
import { jobRefOf } from './engine/watch-job.js';
import { type SetReport, watchJobs } from './engine/watch-jobs.js';
import { describeExchange } from './engine/wording.js';

/** The runner sends SIGTERM 7.5 s after SIGINT; we promise to be gone within 5 s of the first. */
const FORCE_EXIT_AFTER_SIGNAL_MS = 4_500;
const COMMENT_TIMEOUT_MS = 10_000;
/** After a cancellation, cancelling the job comes first; the comment gets what time is left. */
const COMMENT_TIMEOUT_AFTER_SIGNAL_MS = 1_500;

/** The action's entry point: read inputs, watch the job, set outputs and the summary, decide the exit code. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  tuneV8();
  // Mask the key before anything else can print: even a rejected input must not show it.
  const rawKey = readActionInput(Input.ApiKey, env)?.trim();
  if (rawKey) core.setSecret(rawKey);

  let settings: Settings;
  try {
    settings = readSettings((name) => readActionInput(name, env), env);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    setOutputs(outputsBeforeStart(readActionInput(Input.JobId, env)?.trim() ?? '', error.message));
    // The summary input may itself be the bad one; only an explicit `false` turns it off here.
    if (parseBoolean(readActionInput(Input.Summary, env) ?? '') !== false) {
      writeSummary(renderInputFailure(error.message));
    }
    core.setFailed(error.message);
    return;
  }
  if (settings.apiKey && settings.apiKey !== rawKey) core.setSecret(settings.apiKey);

  const cancel = new AbortController();
  // The runner sends SIGTERM 7.5 s after SIGINT, and SIGKILL later: a second signal changes nothing.
  stopOnSignals(cancel, {
    forceExitAfterMs: FORCE_EXIT_AFTER_SIGNAL_MS,
    exitCode: () => (typeof process.exitCode === 'number' ? process.exitCode : 1),
    exitOnSecondSignal: false,
  });

  const log = new WorkflowLog();
  const comment = PrComment.open(settings, env, log);
  const reporterFor = (jobId: string, inSet: boolean) => {
    const consoleReporter = new ConsoleReporter(log, { ...jobRefOf(settings), jobId }, inSet);
    return comment ? combineReporters(consoleReporter, comment.progressFor(jobId)) : consoleReporter;
  };
  const result = await watchJobs(settings, {
    log,
    reporterFor,
    cancelSignal: cancel.signal,
    env,
    requestTimeoutMs: requestTimeoutForTests(env),
    // The runner's debug logging (re-run with debug logging, or RUNNER_DEBUG=1): a line a request.
    onExchange: env.RUNNER_DEBUG === '1' ? (exchange) => core.debug(describeExchange(exchange)) : undefined,
  });
  setOutputs(outputsOf(result));
  if (settings.summary)
    writeSummary(
      result.jobs.length === 1
        ? renderSummary(result.jobs[0] as JobReport)
        : renderSetSummary(result, settings.rankBy),
    );
  await comment?.finish(result, result.interrupted ? COMMENT_TIMEOUT_AFTER_SIGNAL_MS : COMMENT_TIMEOUT_MS);
  decideExit(result, settings);
}

/**
 * Tunes V8 for a process that mostly waits, set first thing, before anything large is allocated
 * or any request is made. Each flag pays for itself (measured with `npm run bench`), and each is
 * checked against the bundled Node's `--v8-options` by test/runtime-internals.test.ts: V8 prints
 * an error for a flag it does not know, so a renamed flag must fail a test, not a workflow's log.
 * - `--optimize-for-size`: reading a long history at once (100,000 events, or Together's whole
 *   list on every poll) makes V8's default heuristics grow the heap well past what is live: over
 *   300 MB where this keeps it near 200.
 * - `--wasm-tiering-budget`: undici parses HTTP with llhttp compiled to WebAssembly. After a few
 *   responses V8 recompiles its main function with its optimising compiler in the background
 *   (about 40 ms of CPU), and a process cannot exit until that is done: a `wait: false` check
 *   would end 30 ms later for it. llhttp does little per byte of a body (it skips over it), so
 *   the baseline code is fast enough for any history and the recompilation is never worth it.
 */
export const V8_FLAGS = ['--optimize-for-size', '--wasm-tiering-budget=2000000000'];

function tuneV8(): void {
  setFlagsFromString(V8_FLAGS.join(' '));
}

/**
 * For tests only, and undocumented on purpose: FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS shortens the
 * per-request timeout (30 s), so that "an answer slower than the timeout" costs a fault test
 * milliseconds. It can only shorten it. This is the one place it is read.
 */
function requestTimeoutForTests(env: NodeJS.ProcessEnv): number | undefined {
  const ms = Number(env.FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS);
  return Number.isInteger(ms) && ms > 0 && ms < REQUEST_TIMEOUT_MS ? ms : undefined;
}

function setOutputs(outputs: Record<Output, string>): void {
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value);
}

function writeSummary(markdown: string): void {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    core.appendSummary(markdown);
  } catch (error) {
    core.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * The step fails on an error of its own (inputs, credentials, a job not found), when the runner
 * cancelled it, and when any job's outcome is in fail-on.
 */
function decideExit(result: SetReport, settings: Settings): void {
  if (result.failure) {
    core.setFailed(result.failure.message);
    return;
  }
  if (result.interrupted) {
    process.exitCode = 1;
    return;
  }
  const failing = result.jobs.filter(
    (job) => job.failure || (job.outcome && settings.failOn.has(job.outcome)),
  );
  if (failing.length === 0) return;
  const sentence = (job: JobReport) => {
    if (job.failure) return job.failure.message;
    const reason = job.error ? `: ${job.error}` : '';
    return `Fine-tuning job ${job.ref.jobId} ${(job.outcome ?? '').replace('_', ' ')}${reason}`;
  };
  core.setFailed(failing.length === 1 ? sentence(failing[0] as JobReport) : failing.map(sentence).join('\n'));
}
