/**
 * What one seed means: the provider, the job and how it ends, the action's settings, the sim's
 * paging quirks and the fault schedule. Everything is drawn from the seed, so a failing seed can
 * be run again on its own (FAULT_SEED=<seed>) and behaves the same.
 */
import { DEFAULT_SCHEDULE, type FaultSchedule, faultSchedule } from '../../sim/faults.js';
import { type SeededEnd, type SeededJob, seededJob } from '../../sim/scenarios/seeded.js';
import { seededRandom } from '../../sim/synth.js';
import type { ProviderName } from '../../sim/types.js';

/** `finishes`: the job ends on the provider; `deadline`: timeout-minutes runs out; `abort`: the runner cancels the step. */
export type Family = 'finishes' | 'deadline' | 'abort';

export interface SchedulePlan {
  seed: number;
  provider: ProviderName;
  family: Family;
  job: SeededJob;
  pollIntervalMs: number;
  /** null: no limit of our own. */
  timeoutMs: number | null;
  cancelOnTimeout: boolean;
  cancelOnAbort: boolean;
  /** When the step is cancelled (SIGINT), in ms after the start; null: never. */
  abortAfterMs: number | null;
  eventOrder: 'asc' | 'desc';
  pageSize: number;
  overlapPages: boolean;
  schedule: FaultSchedule;
}

// The platforms with an events list (the fault plans check every event once, in order).
const PROVIDERS: readonly ProviderName[] = ['together', 'openai', 'nebius', 'azure-openai'];

export function planFor(seed: number): SchedulePlan {
  const random = seededRandom(Math.imul(seed, 7919) + 1);
  const chance = (p: number) => random() < p;
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const provider = PROVIDERS[seed % PROVIDERS.length] as ProviderName;
  const roll = random();
  const family: Family = roll < 0.6 ? 'finishes' : roll < 0.8 ? 'deadline' : 'abort';
  const finishing: SeededEnd[] = ['succeeded', 'succeeded', 'failed', 'cancelled'];
  const end: SeededEnd =
    family === 'deadline' || (family === 'abort' && chance(0.7))
      ? 'never'
      : (finishing[between(0, finishing.length - 1)] as SeededEnd);
  const faultRate = 0.1 + random() * 0.35;
  return {
    seed,
    provider,
    family,
    job: seededJob(provider, end, seed),
    pollIntervalMs: between(10, 50),
    timeoutMs: family === 'deadline' ? between(300, 800) : chance(0.5) ? 60_000 : null,
    cancelOnTimeout: chance(0.5),
    cancelOnAbort: chance(0.5),
    abortAfterMs: family === 'abort' ? between(30, 500) : null,
    eventOrder: provider === 'openai' ? (chance(0.75) ? 'desc' : 'asc') : chance(0.5) ? 'asc' : 'desc',
    pageSize: between(2, 7),
    overlapPages: chance(0.3),
    schedule: faultSchedule(seed, { ...DEFAULT_SCHEDULE, faultRate }),
  };
}

export function describePlan(plan: SchedulePlan): string {
  return [
    `seed ${plan.seed}: ${plan.provider} job that ${plan.job.end === 'never' ? 'never ends' : `ends ${plan.job.end}`} (${plan.family})`,
    `poll ${plan.pollIntervalMs} ms, timeout ${plan.timeoutMs ?? 'none'}, cancel-on-timeout ${plan.cancelOnTimeout}, cancel-on-abort ${plan.cancelOnAbort}, abort at ${plan.abortAfterMs ?? 'never'}`,
    `events ${plan.eventOrder}, pages of ${plan.pageSize}${plan.overlapPages ? ' overlapping' : ''}`,
  ].join('; ');
}

/**
 * The seeds to run: FAULT_SEED=<n> runs that one alone (to reproduce a failure), else `count`
 * seeds from `first` (FAULT_SEEDS=<count> overrides the count).
 */
export function seedsToRun(first: number, count: number): number[] {
  const only = process.env.FAULT_SEED;
  if (only !== undefined && only !== '') return [Number(only)];
  const wanted = process.env.FAULT_SEEDS ? Number(process.env.FAULT_SEEDS) : count;
  return Array.from({ length: wanted }, (_, i) => first + i);
}
