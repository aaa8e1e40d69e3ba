/**
 * Seeded fault schedules through the bundled action, run as the runner runs it (a child process
 * with INPUT_ variables and file commands), with FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS shortening
 * the per-request timeout. Fewer seeds than in-process (each costs a Node start-up), the same
 * plans, and the checks a workflow cares about (action-run.ts).
 *
 * Reproduce a failure: FAULT_SEED=<seed> npx vitest run test/faults
 */
import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../sim/faults.js';
import { actionViolations, runActionSchedule } from '../support/action-run.js';
import { limitConcurrency } from '../support/limit.js';
import { describePlan, planFor, seedsToRun } from '../support/schedule-plan.js';

/** 48 seeds, 12 per provider, from a range of their own. */
const SEEDS = seedsToRun(10_001, 48);
/** Child processes compete for two cores: three at a time keeps their timing honest. */
const oneOfThree = limitConcurrency(3);

describe.concurrent('seeded fault schedules, bundled action', () => {
  it.each(SEEDS)('seed %i keeps every promise', async (seed) => {
    const plan = planFor(seed);
    const run = await oneOfThree(() => runActionSchedule(plan));
    try {
      expect(
        actionViolations(run),
        `${describePlan(plan)}\n${describeSchedule(plan.schedule)}\nreplay: FAULT_SEED=${seed} npx vitest run test/faults`,
      ).toEqual([]);
    } finally {
      await run.result.cleanup();
    }
  });
});
