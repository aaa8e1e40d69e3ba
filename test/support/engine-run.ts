/**
 * Runs one seeded schedule through the engine (watchJob) inside the test process, with real HTTP
 * to a fake provider: the same code the bundled action runs, minus process start-up, so hundreds
 * of schedules fit in CI's budget.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppliedFault, scheduleHook } from '../../sim/faults.js';
import { type FakeProvider, startFakeProvider } from '../../sim/server.js';
import type { RequestRecord } from '../../sim/types.js';
import { RunCancelled } from '../../src/errors.js';
import type { Settings } from '../../src/settings.js';
import type { JobReport } from '../../src/engine/job-report.js';
import { watchJob } from '../../src/engine/watch-job.js';
import { CapturingLog, CapturingReporter } from './capture.js';
import { type ClientEvent, observeClient, stopObserving } from './client-observer.js';
import { type EventLine, readEvents } from './events-file.js';
import type { SchedulePlan } from './schedule-plan.js';

export const ENGINE_KEY = 'sk-fault-schedule-5f1d2c3b4a';
/** The per-request timeout of in-process runs: short, so "slower than the timeout" costs little. */
export const ENGINE_REQUEST_TIMEOUT_MS = 150;

export interface EngineRun {
  plan: SchedulePlan;
  report: JobReport;
  events: EventLine[];
  log: CapturingLog;
  reporter: CapturingReporter;
  requests: RequestRecord[];
  applied: AppliedFault[];
  /** The client's own view of its requests and answers. */
  client: ClientEvent[];
  /** The job's whole history on the provider at the end, oldest first. */
  history: { message: string }[];
  cancelCalls: number;
  startedAt: number;
  finishedAt: number;
  /** Date.now() when the abort fired; null when it did not. */
  abortedAt: number | null;
  unhandled: unknown[];
}

const unhandled: unknown[] = [];
let listening = false;

/** Collects unhandled rejections for the invariants (vitest would report them too, but without a seed). */
function watchUnhandled(): void {
  if (listening) return;
  listening = true;
  process.on('unhandledRejection', (reason) => unhandled.push(reason));
}

export async function runEngineSchedule(plan: SchedulePlan): Promise<EngineRun> {
  watchUnhandled();
  const unhandledBefore = unhandled.length;
  const { job } = plan;
  const sim = await startFakeProvider({
    provider: plan.provider,
    apiKey: ENGINE_KEY,
    jobs: { [job.id]: job },
    eventOrder: plan.eventOrder,
    maxLimit: plan.pageSize,
    defaultLimit: plan.pageSize,
    overlapPages: plan.overlapPages,
  });
  const runnerTemp = mkdtempSync(join(tmpdir(), `ftw-seed-${plan.seed}-`));
  const origin = new URL(sim.baseUrl).origin;
  const client = observeClient(origin);
  try {
    const applied: AppliedFault[] = [];
    let late = 0;
    sim.setFault(
      scheduleHook(plan.schedule, {
        // Far longer than the request timeout and the slack of the timing checks, so an engine
        // that waited for a slow answer would be caught.
        slowMs: 10_000,
        applied,
        onAppend: (request) => {
          // New events only while the job runs: after its end nothing more is promised.
          const simJob = sim.job(job.id);
          if (simJob.terminal || simJob.cancelRequested) return;
          const between = plan.provider === 'together' || request.query.after !== undefined;
          if (between) simJob.appendEvents([{ message: `seed ${plan.seed} late event ${++late}` }]);
        },
      }),
    );
    return { ...(await watchOnce(plan, sim, runnerTemp, applied, unhandledBefore)), client: [...client] };
  } finally {
    stopObserving(origin);
    await sim.close();
    rmSync(runnerTemp, { recursive: true, force: true });
  }
}

async function watchOnce(
  plan: SchedulePlan,
  sim: FakeProvider,
  runnerTemp: string,
  applied: AppliedFault[],
  unhandledBefore: number,
): Promise<Omit<EngineRun, 'client'>> {
  const settings: Settings = {
    provider: plan.provider,
    jobId: plan.job.id,
    jobIds: [plan.job.id],
    apiKey: ENGINE_KEY,
    baseUrl: sim.baseUrl,
    wait: true,
    pollIntervalMs: plan.pollIntervalMs,
    timeoutMs: plan.timeoutMs,
    failOn: new Set(),
    cancelOnTimeout: plan.cancelOnTimeout,
    cancelOnAbort: plan.cancelOnAbort,
    summary: false,
    commentOnPr: false,
    githubToken: '',
    require: [],
    rankBy: { metric: 'valid_loss', highestWins: false },
  };
  const log = new CapturingLog();
  const reporter = new CapturingReporter();
  const cancel = new AbortController();
  let abortedAt: number | null = null;
  const abortTimer =
    plan.abortAfterMs === null
      ? undefined
      : setTimeout(() => {
          abortedAt = Date.now();
          cancel.abort(new RunCancelled('SIGINT'));
        }, plan.abortAfterMs);
  const startedAt = Date.now();
  try {
    const report = await watchJob(settings, {
      log,
      reporter,
      cancelSignal: cancel.signal,
      env: { RUNNER_TEMP: runnerTemp },
      requestTimeoutMs: ENGINE_REQUEST_TIMEOUT_MS,
    });
    const finishedAt = Date.now();
    const simJob = sim.job(plan.job.id);
    return {
      plan,
      report,
      events: readEvents(report.eventsFile),
      log,
      reporter,
      requests: [...sim.requests],
      applied,
      history: simJob.events.map((event) => ({ message: event.message })),
      cancelCalls: simJob.cancelCalls,
      startedAt,
      finishedAt,
      abortedAt,
      unhandled: unhandled.slice(unhandledBefore),
    };
  } finally {
    clearTimeout(abortTimer);
  }
}
