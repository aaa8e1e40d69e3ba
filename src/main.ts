import { setFlagsFromString } from 'node:v8';
import * as core from './action/actions-core.js';
import { readActionInput } from './action/inputs.js';
import { Input, type Output, REQUEST_TIMEOUT_MS } from './constants.js';
import { ActionError } from './errors.js';
import { stopOnSignals } from './signals.js';
import { parseBoolean, readSettings, type Settings } from './settings.js';
import type { JobReport } from './engine/job-report.js';
import { PrComment } from './github/pr-comment.js';
import { platformOf } from './providers/index.js';
import { combineReporters } from './report/combine.js';
import { ConsoleReporter } from './report/console-reporter.js';
import { outputsBeforeStart, outputsOf } from './report/outputs.js';
import { renderInputFailure, renderSummary } from './report/summary.js';
import { WorkflowLog } from './report/workflow-log.js';
import { jobRefOf, watchJob } from './engine/watch-job.js';
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
  if (settings.apiKey !== rawKey) core.setSecret(settings.apiKey);

  const cancel = new AbortController();
  // The runner sends SIGTERM 7.5 s after SIGINT, and SIGKILL later: a second signal changes nothing.
  stopOnSignals(cancel, {
    forceExitAfterMs: FORCE_EXIT_AFTER_SIGNAL_MS,
    exitCode: () => (typeof process.exitCode === 'number' ? process.exitCode : 1),
    exitOnSecondSignal: false,
  });

  const log = new WorkflowLog();
  const ref = jobRefOf(settings);
  const comment = PrComment.open(
    settings,
    { ref, dashboardUrl: platformOf(ref.provider).dashboardUrl(ref) },
    env,
    log,
  );
  const consoleReporter = new ConsoleReporter(log, ref);
  const reporter = comment ? combineReporters(consoleReporter, comment.progress) : consoleReporter;
  const report = await watchJob(settings, {
    log,
    reporter,
    cancelSignal: cancel.signal,
    env,
    requestTimeoutMs: requestTimeoutForTests(env),
    // The runner's debug logging (re-run with debug logging, or RUNNER_DEBUG=1): a line a request.
    onExchange: env.RUNNER_DEBUG === '1' ? (exchange) => core.debug(describeExchange(exchange)) : undefined,
  });
  setOutputs(outputsOf(report));
  if (settings.summary) writeSummary(renderSummary(report));
  await comment?.finish(report, report.interrupted ? COMMENT_TIMEOUT_AFTER_SIGNAL_MS : COMMENT_TIMEOUT_MS);
  decideExit(report, settings);
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

function decideExit(report: JobReport, settings: Settings): void {
  if (report.failure) {
    core.setFailed(report.failure.message);
  } else if (report.interrupted) {
    process.exitCode = 1;
  } else if (report.outcome && settings.failOn.has(report.outcome)) {
    const reason = report.error ? `: ${report.error}` : '';
    core.setFailed(`Fine-tuning job ${report.ref.jobId} ${report.outcome.replace('_', ' ')}${reason}`);
  }
}
