/**
 * timeout-minutes is a deadline: answers slower than the per-request timeout are abandoned and
 * retried, none of it ends the wait early, and the step is done within timeout-minutes plus one
 * request timeout, even when the last requests after the deadline (cancel, checkpoints) hang too.
 * Retry-After, in seconds or as an HTTP date, is honoured on the way.
 */
import { describe, expect, it } from 'vitest';
import { neverEnding, openaiCookbook } from '../../sim/scenarios.js';
import type { FaultHook } from '../../sim/server.js';
import { type ActionOnSim, actionOnSim } from '../support/action-on-sim.js';

const REQUEST_TIMEOUT_MS = 300;
const TIMEOUT_MS = 1_500;
/**
 * Writing outputs and the summary, and exiting, after the wait itself, on a machine two or three
 * times slower than a quiet one. Answers that hang are held far longer (HANG_MS), so an action
 * that waited for one would still be caught.
 */
const WRAP_UP_MS = 2_000;
const HANG_MS = 20_000;

/**
 * From the first request (when the deadline starts counting) to the process's exit, by the
 * action's own clock: start-up and a busy test process noticing the exit late do not count.
 */
const waitOf = (run: ActionOnSim) =>
  (run.result.exitedAt ?? Number.NaN) - (run.sim.requests[0]?.time ?? Number.NaN);

async function deadlineRun(
  provider: 'together' | 'openai' | 'nebius',
  fault: FaultHook,
  cancelOnTimeout: boolean,
) {
  return actionOnSim(neverEnding(provider), {
    inputs: {
      'timeout-minutes': String(TIMEOUT_MS / 60_000),
      'cancel-on-timeout': String(cancelOnTimeout),
      'poll-interval': '0.05',
    },
    sim: { fault },
    run: { env: { FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) }, probe: true },
  });
}

describe.each(['together', 'openai', 'nebius'] as const)('%s', (provider) => {
  it('abandons answers slower than the request timeout, and times out on the deadline, not before', async () => {
    const run = await deadlineRun(
      provider,
      (_request, n) => (n >= 2 ? { kind: 'delay', ms: HANG_MS } : undefined),
      false,
    );
    expect(run.result.outputs.status).toBe('timed_out');
    expect(run.result.code).toBe(1);
    expect(run.result.stdout).toContain(`no complete answer within ${REQUEST_TIMEOUT_MS / 1000} s`);
    expect(waitOf(run)).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    expect(waitOf(run)).toBeLessThan(TIMEOUT_MS + REQUEST_TIMEOUT_MS + WRAP_UP_MS);
    expect(run.sim.count('cancel')).toBe(0);
  });

  it('ends within timeout-minutes plus one request timeout when the cancel and last reads hang too', async () => {
    const run = await deadlineRun(
      provider,
      (request, n) => (n >= 2 || request.route === 'cancel' ? { kind: 'delay', ms: HANG_MS } : undefined),
      true,
    );
    expect(run.result.outputs.status).toBe('timed_out');
    expect(waitOf(run)).toBeLessThan(TIMEOUT_MS + REQUEST_TIMEOUT_MS + WRAP_UP_MS);
    // The cancel was asked for once, and not again when it hung.
    expect(run.sim.count('cancel')).toBe(1);
  });
});

describe('Retry-After', () => {
  it.each([
    ['in seconds', () => '1'],
    ['as an HTTP date', () => new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toUTCString()],
  ])('%s: the next request waits as long as asked', async (_form, retryAfter) => {
    let notBefore = Number.NaN;
    const run = await actionOnSim(openaiCookbook(), {
      sim: {
        fault: (request, n) => {
          if (n !== 1) return undefined;
          const value = retryAfter();
          notBefore = /^\d+$/.test(value) ? request.time + Number(value) * 1000 : Date.parse(value);
          return { kind: 'status', status: 429, headers: { 'retry-after': value } };
        },
      },
    });
    expect(run.result.outputs.status).toBe('succeeded');
    const next = run.sim.requests[2];
    expect(next?.time ?? 0).toBeGreaterThanOrEqual(notBefore - 5);
  });
});
