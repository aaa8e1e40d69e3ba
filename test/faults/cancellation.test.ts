/**
 * Cancellation as the runner does it: SIGINT, then SIGTERM 7.5 s later, whether the workflow run
 * was cancelled or the GitHub job's own timeout-minutes ran out. Polling stops at once, the job
 * is cancelled exactly once when cancel-on-abort is set (never when not), outputs and the summary
 * are written, and the process is gone within 5 s of SIGINT, whatever it was doing.
 */
import { describe, expect, it } from 'vitest';
import { neverEnding } from '../../sim/scenarios.js';
import type { FaultHook } from '../../sim/server.js';
import type { ProviderName } from '../../sim/types.js';
import { Output } from '../../src/constants.js';
import { type ActionOnSim, actionOnSim } from '../support/action-on-sim.js';

const STARTED = 'Watching ';
const EXIT_WITHIN_MS = 5_000;
/** A request already on its way when SIGINT lands may still be recorded this much later. */
const IN_FLIGHT_MS = 250;

/** The runner's cancel: SIGINT once the action runs, SIGTERM 7.5 s after it. */
function runnerCancel(afterMs: number, sigtermAfterMs = 7_500) {
  return [
    { name: 'SIGINT' as const, afterMs, afterOutput: STARTED },
    { name: 'SIGTERM' as const, afterMs: afterMs + sigtermAfterMs, afterOutput: STARTED },
  ];
}

async function cancelledRun(
  provider: ProviderName,
  options: { cancelOnAbort: boolean; afterMs?: number; sigtermAfterMs?: number; fault?: FaultHook },
): Promise<ActionOnSim> {
  return actionOnSim(neverEnding(provider), {
    inputs: { 'cancel-on-abort': String(options.cancelOnAbort), 'poll-interval': '0.05' },
    sim: options.fault ? { fault: options.fault } : {},
    run: {
      signal: runnerCancel(options.afterMs ?? 400, options.sigtermAfterMs),
      timeoutMs: 20_000,
      probe: true,
    },
  });
}

function sigintAt(run: ActionOnSim): number {
  const at = run.result.signalledAt[0];
  if (at === undefined) throw new Error('SIGINT was never delivered: the step ended before it');
  return at;
}

/**
 * When the action's process exited, by its own clock: a busy test process that notices the exit
 * late must not count against the action.
 */
function exitedAt(run: ActionOnSim): number {
  const at = run.result.exitedAt;
  if (at === null) throw new Error('the exit probe did not report');
  return at;
}

/** Gone within 5 s of SIGINT, with every output set, the summary written, and exit code 1. */
function expectCleanExit(run: ActionOnSim): void {
  const { result } = run;
  expect(exitedAt(run) - sigintAt(run)).toBeLessThan(EXIT_WITHIN_MS);
  expect(result.code).toBe(1);
  expect(result.stderr).toBe('');
  expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
  expect(result.outputs['job-id']).toBe(run.sim.job(neverEnding(run.sim.provider).id).id);
  expect(result.summary).toContain('Fine-tune');
}

/** No read of the job after SIGINT, beyond a request already on its way. */
function expectPollingStopped(run: ActionOnSim): void {
  const late = run.sim.requests.filter(
    (request) => request.time > sigintAt(run) + IN_FLIGHT_MS && request.route !== 'cancel',
  );
  expect(late.map((request) => `${request.method} ${request.path}`)).toEqual([]);
}

const cancels = (run: ActionOnSim) => run.sim.count('cancel');
const jobOf = (run: ActionOnSim) => run.sim.job(neverEnding(run.sim.provider).id);

describe.each(['together', 'openai', 'nebius'] as const)('%s, the run cancelled', (provider) => {
  it('with cancel-on-abort: stops polling, cancels the job once, writes everything, exits within 5 s', async () => {
    const run = await cancelledRun(provider, { cancelOnAbort: true });
    expectCleanExit(run);
    expectPollingStopped(run);
    expect(cancels(run)).toBe(1);
    expect(jobOf(run).cancelCalls).toBe(1);
    expect(run.result.outputs.status).toBe('cancelled');
    // SIGTERM was never needed: the step was gone long before.
    expect(run.result.signalledAt).toHaveLength(1);
  });

  it('without cancel-on-abort: leaves the job running, and still writes everything', async () => {
    const run = await cancelledRun(provider, { cancelOnAbort: false });
    expectCleanExit(run);
    expectPollingStopped(run);
    expect(cancels(run)).toBe(0);
    expect(run.result.outputs.status).toBe('running');
  });
});

describe('the run cancelled at the worst moment', () => {
  it('while a request hangs (30 s request timeout): abandons it and cancels once', async () => {
    const run = await cancelledRun('openai', {
      cancelOnAbort: true,
      fault: (request, n) =>
        n >= 2 && request.route !== 'cancel' ? { kind: 'delay', ms: 20_000 } : undefined,
    });
    expectCleanExit(run);
    expect(cancels(run)).toBe(1);
    expect(run.result.outputs.status).toBe('cancelled');
  });

  it('during a 60 s Retry-After wait: does not sit it out', async () => {
    const run = await cancelledRun('nebius', {
      cancelOnAbort: true,
      fault: (request, n) =>
        n >= 2 && request.route !== 'cancel'
          ? { kind: 'status', status: 429, headers: { 'retry-after': '60' } }
          : undefined,
    });
    expectCleanExit(run);
    expectPollingStopped(run);
    expect(cancels(run)).toBe(1);
  });

  it('while the cancel itself hangs: sends it once, never again, and exits within 5 s', async () => {
    const run = await cancelledRun('together', {
      cancelOnAbort: true,
      fault: (request) => (request.route === 'cancel' ? { kind: 'delay', ms: 20_000 } : undefined),
    });
    expectCleanExit(run);
    expect(cancels(run)).toBe(1);
    // The provider never answered: the job is not known to be cancelled, and the log says so.
    expect(run.result.outputs.status).toBe('running');
    expect(run.result.stdout).toMatch(/::warning::Could not cancel job/);
  });

  it('when the cancel fails with a 5xx: does not retry it (it may have been done)', async () => {
    const run = await cancelledRun('openai', {
      cancelOnAbort: true,
      fault: (request) => (request.route === 'cancel' ? { kind: 'status', status: 502 } : undefined),
    });
    expectCleanExit(run);
    expect(cancels(run)).toBe(1);
  });

  it('with SIGTERM right after SIGINT (50 ms later, or at once): still one cancel', async () => {
    for (const sigtermAfterMs of [50, 0]) {
      const run = await cancelledRun('nebius', {
        cancelOnAbort: true,
        sigtermAfterMs,
        fault: (request) => (request.route === 'cancel' ? { kind: 'delay', ms: 1_000 } : undefined),
      });
      expectCleanExit(run);
      expect(cancels(run)).toBe(1);
    }
  });

  it('after the job has ended, during the last read of its events: cancels nothing', async () => {
    const scenario = neverEnding('openai');
    scenario.stages.push({ status: 'succeeded', job: { fine_tuned_model: 'ft:done' } });
    // The third read of the job shows it succeeded; the read of its events that follows hangs,
    // and the run is cancelled then.
    let jobReads = 0;
    const run = await actionOnSim(scenario, {
      inputs: { 'cancel-on-abort': 'true', 'poll-interval': '0.05' },
      sim: {
        fault: (request) => {
          if (request.route === 'job') jobReads++;
          return request.route === 'events' && jobReads >= 3 ? { kind: 'delay', ms: 20_000 } : undefined;
        },
      },
      run: {
        signal: { name: 'SIGINT', afterMs: 300, afterOutput: 'Status: running → succeeded' },
        probe: true,
      },
    });
    expect(cancels(run)).toBe(0);
    expect(run.result.outputs.status).toBe('succeeded');
    expect(run.result.outputs.model).toBe('ft:done');
    expect(exitedAt(run) - sigintAt(run)).toBeLessThan(EXIT_WITHIN_MS);
  });
});

describe('the GitHub job’s timeout-minutes ends the step (the runner sends SIGINT, then SIGTERM)', () => {
  it.each([
    ['between two polls', undefined],
    [
      'in the middle of a request',
      ((_request, n) => (n >= 2 ? { kind: 'delay', ms: 20_000 } : undefined)) as FaultHook,
    ],
    [
      'while retrying a flaky provider',
      ((_request, n) => (n >= 2 ? { kind: 'status', status: 503 } : undefined)) as FaultHook,
    ],
  ])('%s: stops, cancels once with cancel-on-abort, writes everything within 5 s', async (_moment, fault) => {
    const withCancel = await cancelledRun('together', {
      cancelOnAbort: true,
      fault: fault && ((request, n) => (request.route === 'cancel' ? undefined : fault(request, n))),
    });
    expectCleanExit(withCancel);
    expectPollingStopped(withCancel);
    expect(cancels(withCancel)).toBe(1);
    expect(withCancel.result.outputs.status).toBe('cancelled');
  });
});
