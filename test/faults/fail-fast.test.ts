/**
 * Authentication and missing jobs end the step at once: one request answered 401, 403 or 404,
 * never retried, whenever it comes (the first request, or hours into the wait when the key is
 * revoked or the job deleted), with one clear error and every output set.
 */
import { describe, expect, it } from 'vitest';
import { neverEnding } from '../../sim/scenarios.js';
import type { FaultHook } from '../../sim/server.js';
import type { ProviderName } from '../../sim/types.js';
import { Output } from '../../src/constants.js';
import { actionOnSim } from '../support/action-on-sim.js';

/** Each provider's own body for the status. */
function errorBody(provider: ProviderName, status: number): string {
  const message =
    status === 404 ? 'Not Found' : status === 403 ? 'Forbidden: no access to this job' : 'Invalid API key';
  return JSON.stringify(
    provider === 'nebius' ? { detail: message } : { error: { message, type: 'invalid_request_error' } },
  );
}

/** From request `from` on, every request is answered `status`. */
const refuseFrom =
  (provider: ProviderName, status: number, from: number): FaultHook =>
  (_request, n) =>
    n >= from ? { kind: 'status', status, body: errorBody(provider, status) } : undefined;

describe.each(['together', 'openai', 'nebius'] as const)('%s', (provider) => {
  it.each([401, 403, 404])(
    'ends at once on %i: one request, no retry, one error, all outputs',
    async (status) => {
      const scenario = neverEnding(provider);
      const run = await actionOnSim(scenario, { sim: { fault: refuseFrom(provider, status, 0) } });
      const { result } = run;
      expect(run.sim.requests).toHaveLength(1);
      expect(result.code).toBe(1);
      // A retry would go on until timeout-minutes (hours): the bound only has to tell the two apart.
      expect(result.durationMs).toBeLessThan(15_000);
      const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(status === 404 ? scenario.id : '`api-key`');
      expect(result.stdout).not.toMatch(/retrying in/);
      expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
      expect(result.outputs.status).toBe('');
      expect(result.outputs.error).not.toBe('');
    },
  );

  it.each([401, 403, 404])(
    'ends at once on %i in the middle of the wait (key revoked, job deleted)',
    async (status) => {
      const run = await actionOnSim(neverEnding(provider), {
        sim: { fault: refuseFrom(provider, status, 5) },
      });
      expect(run.result.code).toBe(1);
      // Five answered, one refused, nothing after: no retry, no further poll, no extras. A 404
      // of the events route (OpenAI and Nebius read events apart) may be a missing route rather
      // than a deleted job: the next read of the job itself tells, one request more.
      const eventsRoute404 = status === 404 && run.sim.requests[5]?.route === 'events';
      expect(run.sim.requests).toHaveLength(eventsRoute404 ? 7 : 6);
      expect(run.sim.requests.at(-1)?.status).toBe(status);
      expect(run.sim.requests.at(-1)?.route).toBe(eventsRoute404 ? 'job' : run.sim.requests[5]?.route);
      expect(run.result.stdout).not.toMatch(/retrying in/);
    },
  );
});
