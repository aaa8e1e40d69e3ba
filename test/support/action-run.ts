/**
 * Runs one seeded schedule through the bundled action (dist/index.js as a child process, the way
 * the runner starts it), and checks what a workflow would see: exit code, outputs, the summary,
 * events-file, stderr, and the requests the provider received.
 */
import { type AppliedFault, scheduleHook } from '../../sim/faults.js';
import { type RunActionResult, runAction } from '../../sim/runner.js';
import { startFakeProvider } from '../../sim/server.js';
import type { RequestRecord } from '../../sim/types.js';
import { type EventLine, readEvents } from './e2e.js';
import { runnerCommands } from './runner-commands.js';
import { cancelViolations, eventViolations, requestsAfter } from './schedule-invariants.js';
import type { SchedulePlan } from './schedule-plan.js';

export const ACTION_KEY = 'sk-proj-action-schedule-9e8d7c6b5a4f';
/** FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS for these runs. */
export const ACTION_REQUEST_TIMEOUT_MS = 300;
/**
 * Writing outputs and the summary and exiting after the deadline, by the action's own clock, on
 * a machine two or three times slower than a quiet one. Slow answers are held far longer
 * (SLOW_ANSWER_MS), so an action that waited for one would still be caught.
 */
const WRAP_UP_MS = 2_000;
const SLOW_ANSWER_MS = 10_000;
/** The runner sends SIGINT, then SIGTERM 7.5 s later; the step must be gone within 5 s of SIGINT. */
const EXIT_AFTER_SIGINT_MS = 5_000;
const RUNNER_SIGTERM_AFTER_MS = 7_500;
/** A request already on its way when the signal lands may still be recorded this much later. */
const IN_FLIGHT_MS = 250;
/** The action's first line: it is running and its signal handlers are in place. */
const STARTED = 'Watching ';

export interface ActionRun {
  plan: SchedulePlan;
  result: RunActionResult;
  events: EventLine[];
  requests: RequestRecord[];
  applied: AppliedFault[];
  history: { message: string }[];
  cancelCalls: number;
  /** When SIGINT was delivered (Date.now()); null when it was not (the step had ended). */
  signalledAt: number | null;
}

export async function runActionSchedule(plan: SchedulePlan): Promise<ActionRun> {
  const { job } = plan;
  const sim = await startFakeProvider({
    provider: plan.provider,
    apiKey: ACTION_KEY,
    jobs: { [job.id]: job },
    eventOrder: plan.eventOrder,
    maxLimit: plan.pageSize,
    defaultLimit: plan.pageSize,
    overlapPages: plan.overlapPages,
  });
  const applied: AppliedFault[] = [];
  let late = 0;
  sim.setFault(
    scheduleHook(plan.schedule, {
      slowMs: SLOW_ANSWER_MS,
      applied,
      onAppend: (request) => {
        const simJob = sim.job(job.id);
        if (simJob.terminal || simJob.cancelRequested) return;
        if (plan.provider === 'together' || request.query.after !== undefined)
          simJob.appendEvents([{ message: `seed ${plan.seed} late event ${++late}` }]);
      },
    }),
  );
  try {
    // The abort is timed from the action's first line, so a slow start-up does not move it.
    const signalAfterMs = plan.abortAfterMs;
    const result = await runAction({
      inputs: {
        provider: plan.provider,
        'job-id': job.id,
        'api-key': ACTION_KEY,
        'base-url': sim.baseUrl,
        'poll-interval': String(plan.pollIntervalMs / 1000),
        'timeout-minutes': plan.timeoutMs === null ? '0' : String(plan.timeoutMs / 60_000),
        'cancel-on-timeout': String(plan.cancelOnTimeout),
        'cancel-on-abort': String(plan.cancelOnAbort),
      },
      env: { FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS: String(ACTION_REQUEST_TIMEOUT_MS) },
      timeoutMs: 30_000,
      probe: true,
      signal:
        signalAfterMs === null
          ? undefined
          : [
              { name: 'SIGINT', afterMs: signalAfterMs, afterOutput: STARTED },
              { name: 'SIGTERM', afterMs: signalAfterMs + RUNNER_SIGTERM_AFTER_MS, afterOutput: STARTED },
            ],
    });
    const simJob = sim.job(job.id);
    return {
      plan,
      result,
      events: readEvents(result.outputs['events-file']),
      requests: [...sim.requests],
      applied,
      history: simJob.events.map((event) => ({ message: event.message })),
      cancelCalls: simJob.cancelCalls,
      signalledAt: result.signalledAt[0] ?? null,
    };
  } finally {
    await sim.close();
  }
}

const FAILING_OUTCOMES = new Set(['failed', 'cancelled', 'timed_out']);

export function actionViolations(run: ActionRun): string[] {
  const { plan, result } = run;
  const { outputs } = result;
  const problems: string[] = [];
  if (result.timedOut) return ['the action did not exit within 30 s'];
  if (result.stderr !== '') problems.push(`stderr is not empty: ${result.stderr.slice(0, 300)}`);
  const status = outputs.status ?? '';
  const interrupted =
    run.signalledAt !== null && /Stopped waiting: the run was cancelled/.test(result.stdout);

  if (plan.family === 'finishes' || (plan.family === 'abort' && !interrupted)) {
    if (status !== plan.job.end) problems.push(`status ${status}, expected ${plan.job.end}`);
    if (plan.job.end === 'failed' && outputs.error !== plan.job.expectedError)
      problems.push(`error output ${JSON.stringify(outputs.error)}, expected ${plan.job.expectedError}`);
    const code = FAILING_OUTCOMES.has(plan.job.end) || interrupted ? 1 : 0;
    if (result.code !== code) problems.push(`exit code ${result.code}, expected ${code}`);
  } else if (plan.family === 'deadline') {
    if (status !== 'timed_out') problems.push(`status ${status}, expected timed_out`);
    if (result.code !== 1) problems.push(`exit code ${result.code}, expected 1`);
    // From the first request (the deadline counts from about then) to the exit, by the action's clock.
    const waited = (result.exitedAt ?? Number.NaN) - (run.requests[0]?.time ?? Number.NaN);
    const limit = (plan.timeoutMs ?? 0) + ACTION_REQUEST_TIMEOUT_MS + WRAP_UP_MS;
    if (!(waited <= limit))
      problems.push(`the step waited ${waited} ms: more than timeout-minutes plus one request timeout`);
  } else {
    if (result.code !== 1) problems.push(`exit code ${result.code} after SIGINT, expected 1`);
    if (!['running', 'cancelled', 'succeeded', 'failed'].includes(status))
      problems.push(`status ${status} after SIGINT`);
    const exitAfter = (result.exitedAt ?? Number.NaN) - (run.signalledAt ?? 0);
    if (!(exitAfter < EXIT_AFTER_SIGINT_MS)) problems.push(`exited ${exitAfter} ms after SIGINT`);
    problems.push(
      ...requestsAfter(run.requests, (run.signalledAt ?? 0) + IN_FLIGHT_MS, [
        'job',
        'events',
        'checkpoints',
        'metrics',
      ]),
    );
  }

  if (result.summary === '') problems.push('no job summary');
  if (outputs['job-id'] !== plan.job.id) problems.push('job-id output missing');
  const complete = status !== 'timed_out' && !interrupted;
  problems.push(...eventViolations(run.events, run.history, complete));
  if (outputs['events-count'] !== String(run.events.length))
    problems.push(`events-count ${outputs['events-count']} but events-file has ${run.events.length}`);

  const commands = runnerCommands(result.stdout).filter(
    (command) => !['warning', 'error', 'add-mask'].includes(command.name),
  );
  if (commands.length > 0) problems.push(`the runner would run: ${commands.map((c) => c.line).join(' | ')}`);

  const shouldCancel =
    plan.family === 'deadline'
      ? plan.cancelOnTimeout
      : interrupted && plan.cancelOnAbort && plan.job.end === 'never';
  if (interrupted && plan.cancelOnAbort && plan.job.end !== 'never') {
    if (run.cancelCalls > 1) problems.push(`the provider received ${run.cancelCalls} cancels`);
  } else {
    problems.push(...cancelViolations(run.requests, run.applied, run.cancelCalls, shouldCancel));
  }
  return problems;
}
