/**
 * Bench scenarios, cut from the simulator's own `largeHistory` so events have the providers' real
 * shapes (OpenAI and Nebius per-step metrics events, Together checkpoint events). The simulator
 * moves a job one stage per read of the job object, so stage i is what the i-th poll sees.
 */
import { largeHistory } from '../../sim/scenarios.js';
import type { NamedScenario, ProviderName, SimEvent, Stage } from '../../sim/types.js';

/**
 * A running job whose stage i brings `counts[i]` new events, followed by the provider's usual
 * final stage (one more event, the final status, the model). Total events: sum(counts) + 1.
 */
export function stagedJob(provider: ProviderName, counts: readonly number[]): NamedScenario {
  const total = counts.reduce((sum, count) => sum + count, 0) + 1;
  const source = largeHistory(provider, Math.max(3, total));
  const done = source.stages.at(-1) as Stage;
  const events: SimEvent[] = source.stages.slice(0, -1).flatMap((stage) => stage.events ?? []);
  let next = 0;
  const stages: Stage[] = counts.map((count) => {
    const stage = { status: 'running', events: events.slice(next, next + count) };
    next += count;
    return stage;
  });
  return { ...source, stages: [...stages, done] };
}

/** Attaches with `history` events already there, then `polls` polls bring `perPoll` each. */
export function growingJob(
  provider: ProviderName,
  history: number,
  polls: number,
  perPoll: number,
): NamedScenario {
  return stagedJob(provider, [history, ...Array<number>(polls).fill(perPoll)]);
}

/** `n` events arriving evenly over `polls` polls (as a steady training run does). */
export function steadyJob(provider: ProviderName, n: number, polls: number): NamedScenario {
  const spread = n - 1;
  const counts = Array.from(
    { length: polls },
    (_, i) => Math.floor(((i + 1) * spread) / polls) - Math.floor((i * spread) / polls),
  );
  return stagedJob(provider, counts);
}
