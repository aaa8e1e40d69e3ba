/** The invariants of one in-process schedule run (see schedule-invariants.ts for the shared checks). */
import { retryAfterViolations, TIMER_EARLY_MS } from './client-observer.js';
import { ENGINE_REQUEST_TIMEOUT_MS, type EngineRun } from './engine-run.js';
import {
  cancelViolations,
  eventViolations,
  requestsAfter,
  SCHEDULING_SLACK_MS,
} from './schedule-invariants.js';

/** watchJob's budget for the cancel after the runner cancels the step (AFTER_ABORT_BUDGET_MS). */
const AFTER_ABORT_BUDGET_MS = 2_500;
/** Requests already on their way when the run stops may still arrive this much later. */
const IN_FLIGHT_MS = 150;

export function engineViolations(run: EngineRun): string[] {
  const { plan, report } = run;
  const problems: string[] = [];
  if (run.unhandled.length > 0) problems.push(`unhandled rejection: ${String(run.unhandled[0])}`);
  if (report.failure) problems.push(`the step failed: ${report.failure.message}`);

  const elapsed = report.finishedAt - report.startedAt;
  const deadlineAt = plan.timeoutMs === null ? null : report.startedAt + plan.timeoutMs;
  const timedOut = report.outcome === 'timed_out';
  let cancel: 'due' | 'never' | 'maybe' = 'never';

  if (plan.family === 'finishes') {
    if (report.outcome !== plan.job.end) problems.push(`outcome ${report.outcome}, expected ${plan.job.end}`);
    if (plan.job.end === 'failed' && report.error !== plan.job.expectedError)
      problems.push(
        `error ${JSON.stringify(report.error)}, expected ${JSON.stringify(plan.job.expectedError)}`,
      );
    if (plan.job.end === 'succeeded' && plan.provider !== 'nebius' && !report.model)
      problems.push('a succeeded job without a model');
  } else if (plan.family === 'deadline') {
    if (!timedOut) problems.push(`outcome ${report.outcome}, expected timed_out`);
    if (plan.timeoutMs !== null && elapsed < plan.timeoutMs - TIMER_EARLY_MS)
      problems.push(`the wait ended after ${elapsed} ms, before timeout-minutes (${plan.timeoutMs} ms)`);
    if (plan.timeoutMs !== null && elapsed > plan.timeoutMs + ENGINE_REQUEST_TIMEOUT_MS + SCHEDULING_SLACK_MS)
      problems.push(
        `the wait took ${elapsed} ms: more than timeout-minutes (${plan.timeoutMs} ms) plus one request timeout`,
      );
    if (deadlineAt !== null)
      problems.push(...requestsAfter(run.requests, deadlineAt + IN_FLIGHT_MS, ['job', 'events']));
    cancel = plan.cancelOnTimeout ? 'due' : 'never';
  } else if (report.interrupted) {
    const expected = report.cancelRequested ? 'cancelled' : (report.job?.state ?? 'running');
    if (report.outcome !== expected)
      problems.push(`outcome ${report.outcome} after the abort, expected ${expected}`);
    const abortedAt = run.abortedAt ?? report.startedAt;
    if (report.finishedAt - abortedAt > AFTER_ABORT_BUDGET_MS + SCHEDULING_SLACK_MS)
      problems.push(`watchJob returned ${report.finishedAt - abortedAt} ms after the abort`);
    problems.push(
      ...requestsAfter(run.requests, abortedAt + IN_FLIGHT_MS, ['job', 'events', 'checkpoints', 'metrics']),
    );
    // A job that had already ended (abort during the last reads) must not be cancelled.
    cancel = !plan.cancelOnAbort ? 'never' : plan.job.end === 'never' ? 'due' : 'maybe';
  } else if (report.outcome !== plan.job.end) {
    problems.push(`outcome ${report.outcome}, expected ${plan.job.end} (the job ended before the abort)`);
  }

  const complete = !report.interrupted && !timedOut;
  problems.push(...eventViolations(run.events, run.history, complete));
  const reported = run.reporter.seen.map((event) => event.message);
  if (JSON.stringify(reported) !== JSON.stringify(run.events.map((event) => event.message)))
    problems.push('the log did not get exactly the events of events-file, in the same order');
  if (report.eventsCount !== run.events.length)
    problems.push(`events-count ${report.eventsCount} but events-file has ${run.events.length}`);

  // Together embeds the list in the job object: only the read after the final status may need the
  // endpoint. On a busy machine an answer can miss the short request timeout and be asked again.
  const faulted = new Set(run.applied.map((fault) => fault.n));
  const eventReads = run.requests.filter((request, n) => request.route === 'events' && !faulted.has(n));
  const abandoned = run.log.printed.filter((line) => line.startsWith('no complete answer within')).length;
  if (plan.provider === 'together' && eventReads.length > 1 + abandoned)
    problems.push(`${eventReads.length} reads of Together's events endpoint; the job object embeds the list`);

  const stoppedAt = run.abortedAt ?? (timedOut ? deadlineAt : null);
  problems.push(...retryAfterViolations(run.client, stoppedAt));
  if (cancel === 'maybe') {
    if (run.cancelCalls > 1) problems.push(`the provider received ${run.cancelCalls} cancels`);
  } else {
    problems.push(...cancelViolations(run.requests, run.applied, run.cancelCalls, cancel === 'due'));
  }
  return problems;
}
