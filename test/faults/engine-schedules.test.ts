/**
 * Seeded fault schedules through the engine, in-process, with real HTTP to the fake provider.
 * Each seed draws a provider, a job, settings, paging quirks and a fault schedule (see
 * schedule-plan.ts); every SPEC promise is checked on every seed (engine-invariants.ts).
 *
 * Reproduce a failure: FAULT_SEED=<seed> npx vitest run test/faults
 */
import { describe, expect, it } from 'vitest';
import { describeSchedule } from '../../sim/faults.js';
import { engineViolations } from '../support/engine-invariants.js';
import { runEngineSchedule } from '../support/engine-run.js';
import { describePlan, planFor, seedsToRun } from '../support/schedule-plan.js';

/** 320 seeds: about 190 jobs that end, 65 deadlines and 65 cancelled steps, a quarter per provider. */
const SEEDS = seedsToRun(1, 320);

describe.concurrent('seeded fault schedules, in-process', () => {
  it.each(SEEDS)('seed %i keeps every promise', async (seed) => {
    const plan = planFor(seed);
    const run = await runEngineSchedule(plan);
    expect(
      engineViolations(run),
      `${describePlan(plan)}\n${describeSchedule(plan.schedule)}\nreplay: FAULT_SEED=${seed} npx vitest run test/faults`,
    ).toEqual([]);
  });
});
