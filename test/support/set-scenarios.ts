/**
 * Jobs of a sweep, for tests of many jobs in one step: OpenAI-style jobs of uneven lengths whose
 * metrics events fall to a chosen final validation loss, and that end as asked.
 */
import { fakeBase62, nowSeconds, round } from '../../sim/synth.js';
import type { NamedScenario, SimEvent, Stage } from '../../sim/types.js';

export interface SweepJobShape {
  /** Reads of the job while it runs, each bringing one metrics event. */
  steps: number;
  /** How the job ends; 'never': it keeps running. */
  end: 'succeeded' | 'failed' | 'never';
  /** The last metrics event's validation loss (training loss is 0.1 below it). */
  finalValidLoss?: number;
  /** Metrics events per running read (default 1). */
  eventsPerStep?: number;
}

export const sweepJobId = (seed: string) => `ftjob-${fakeBase62(`sweep-${seed}`)}`;
export const sweepModel = (seed: string) => `ft:gpt-4o-mini-2024-07-18:acme::${seed}`;
export const sweepError = (seed: string) => `Training diverged in ${seed}: loss became NaN at step 3.`;

/** An OpenAI job named by `seed`, as SweepJobShape says. */
export function sweepJob(seed: string, shape: SweepJobShape): NamedScenario {
  const id = sweepJobId(seed);
  const createdAt = nowSeconds() - 3600;
  // Ten minutes a step, so the jobs' training times differ as their lengths do.
  const finishedAt = createdAt + 600 * shape.steps;
  const perStep = shape.eventsPerStep ?? 1;
  const total = shape.steps * perStep;
  const finalValid = shape.finalValidLoss ?? 1;
  let at = 1;
  let step = 0;
  const metricsEvent = (): SimEvent => {
    step += 1;
    // From 2.5 down to the final loss, straight: the ranking reads only the last value.
    const valid = round(finalValid + (2.5 - finalValid) * (1 - step / total));
    return {
      at: at++,
      message: `Step ${step}/${total}: training loss=${round(valid - 0.1)}`,
      data: { step, total_steps: total, train_loss: round(valid - 0.1), valid_loss: valid },
    };
  };
  const stages: Stage[] = [
    { status: 'validating_files', events: [{ at: at++, message: `Created fine-tuning job: ${id}` }] },
    ...Array.from({ length: shape.steps }, (): Stage => ({
      status: 'running',
      events: Array.from({ length: perStep }, metricsEvent),
    })),
  ];
  if (shape.end === 'succeeded')
    stages.push({
      status: 'succeeded',
      events: [{ at: at++, message: 'The job has successfully completed' }],
      job: { fine_tuned_model: sweepModel(seed), finished_at: finishedAt },
    });
  if (shape.end === 'failed')
    stages.push({
      status: 'failed',
      events: [{ at: at++, level: 'error', message: sweepError(seed) }],
      job: {
        error: { code: 'invalid_training', message: sweepError(seed), param: null },
        finished_at: finishedAt,
      },
    });
  return {
    id,
    provider: 'openai',
    job: { created_at: createdAt, model: 'gpt-4o-mini-2024-07-18' },
    stages,
  };
}
