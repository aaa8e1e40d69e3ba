/**
 * Provider-agnostic scenarios for edge cases: a job cancelled elsewhere, a long history (paging,
 * dedupe, log condensing), and a job that never ends (timeouts, aborts). Their times are recent,
 * so logs look live; everything else is deterministic. Platforms without events get the versions
 * in eventless.ts.
 */
import { hasNoEvents } from '../platforms.js';
import { AZURE_BASE_MODEL } from '../render-azure.js';
import { fakeBase62, fakeHex, fakeUuid, lossAt, nowSeconds, round, seededRandom } from '../synth.js';
import type { NamedScenario, ProviderName, SimEvent, Stage } from '../types.js';
import { azureMetricsEvent } from './azure.js';
import { eventlessCancelled, eventlessLarge, eventlessNeverEnding } from './eventless.js';

function jobId(provider: ProviderName, seed: string): string {
  if (provider === 'together') return `ft-${fakeUuid(seed)}`;
  if (provider === 'nebius') return `ftjob-${fakeUuid(seed).replaceAll('-', '')}`;
  if (provider === 'azure-openai') return `ftjob-${fakeHex(seed)}`;
  return `ftjob-${fakeBase62(seed)}`;
}

/** Status a freshly created job shows, per provider. */
function firstStatus(provider: ProviderName): string {
  if (provider === 'together' || provider === 'azure-openai') return 'pending';
  return provider === 'openai' ? 'validating_files' : 'running';
}

// Azure's messages are the ones its API reference example and tutorial show.
function createdEvent(provider: ProviderName, id: string, at: number): SimEvent {
  if (provider === 'together') return { at, type: 'job_pending', message: 'Fine tune request created' };
  if (provider === 'nebius') return { at, type: 'message', message: 'Job is submitted' };
  if (provider === 'azure-openai') {
    return { at, type: 'message', message: 'Job enqueued. Waiting for jobs ahead to complete.' };
  }
  return { at, message: `Created fine-tuning job: ${id}` };
}

function startedEvent(provider: ProviderName, at: number): SimEvent {
  if (provider === 'together') return { at, type: 'training_start', message: 'Training started' };
  if (provider === 'nebius')
    return { at, type: 'message', message: "Dataset 'training' processed successfully" };
  if (provider === 'azure-openai') return { at, type: 'message', message: 'Job started.' };
  return { at, message: 'Fine-tuning job started' };
}

/** A progress event: OpenAI/Nebius per-step metrics, Together checkpoint saves. */
function stepEvent(
  provider: ProviderName,
  step: number,
  total: number,
  at: number,
  random: () => number,
): SimEvent {
  if (provider === 'together') {
    return {
      at,
      type: 'checkpoint_save',
      message: `Checkpoint saved at step ${step}`,
      extra: { step, total_steps: total },
    };
  }
  const train = lossAt(step, total, random);
  const valid = round(train + 0.08);
  if (provider === 'azure-openai') {
    const accuracy = (loss: number) => round(Math.min(1, Math.max(0, 1 - loss / 3)));
    return azureMetricsEvent(step, at, {
      train,
      trainAccuracy: accuracy(train),
      valid,
      validAccuracy: accuracy(valid),
      fullValid: round(valid + 0.03),
      fullValidAccuracy: accuracy(valid + 0.03),
    });
  }
  return {
    at,
    type: 'metrics',
    message: `Step ${step}/${total}: training loss=${train.toFixed(2)}, validation loss=${valid.toFixed(2)}`,
    data: { step, train_loss: train, valid_loss: valid, total_steps: total },
  };
}

function doneEvent(provider: ProviderName, at: number): SimEvent {
  if (provider === 'together') return { at, type: 'job_complete', message: 'Job finished' };
  if (provider === 'nebius') return { at, type: 'message', message: 'Training completed successfully' };
  if (provider === 'azure-openai') return { at, type: 'message', message: 'Job succeeded.' };
  return { at, message: 'The job has successfully completed' };
}

function doneStatus(provider: ProviderName): string {
  return provider === 'together' ? 'completed' : 'succeeded';
}

/** Runs a little, then is cancelled by someone else (Together passes through cancel_requested). */
export function cancelledJob(provider: ProviderName): NamedScenario {
  if (hasNoEvents(provider)) return eventlessCancelled(provider);
  const id = jobId(provider, `cancelled-${provider}`);
  const start = nowSeconds() - 600;
  const random = seededRandom(7);
  const stages: Stage[] = [
    { status: firstStatus(provider), events: [createdEvent(provider, id, 0)] },
    {
      status: 'running',
      events: [
        startedEvent(provider, 40),
        ...[1, 2, 3].map((s) => stepEvent(provider, s * 10, 100, 40 + s * 20, random)),
      ],
    },
  ];
  if (provider === 'together') {
    stages.push(
      {
        status: 'cancel_requested',
        events: [{ at: 130, type: 'cancel_requested', message: 'Job cancel requested' }],
      },
      { status: 'cancelled', events: [{ at: 141, type: 'job_stopped', message: 'Job stopped' }] },
    );
  } else {
    stages.push({ status: 'cancelled', job: { finished_at: start + 141 } });
  }
  return { id, provider, job: { created_at: createdAt(provider, start) }, stages };
}

/**
 * Exactly `n` events (n ≥ 3): created, started, n−3 progress events, done; one per second,
 * entered over about ten stages so that each poll brings a batch. Platforms without events get
 * `n` status updates instead, one per job read.
 */
export function largeHistory(provider: ProviderName, n: number): NamedScenario {
  if (hasNoEvents(provider)) return eventlessLarge(provider, n);
  if (n < 3) throw new Error('largeHistory needs n >= 3');
  const id = jobId(provider, `large-${provider}-${n}`);
  const start = nowSeconds() - n - 60;
  const random = seededRandom(n);
  const steps = n - 3;
  const progress = Array.from({ length: steps }, (_, i) => stepEvent(provider, i + 1, steps, i + 2, random));
  const batch = Math.max(1, Math.ceil(steps / 8));
  const stages: Stage[] = [
    { status: firstStatus(provider), events: [createdEvent(provider, id, 0)] },
    { status: 'running', events: [startedEvent(provider, 1)] },
  ];
  for (let i = 0; i < steps; i += batch)
    stages.push({ status: 'running', events: progress.slice(i, i + batch) });
  stages.push({ status: doneStatus(provider), ...finalResult(provider, id, n, steps + 2) });
  return { id, provider, job: { created_at: createdAt(provider, start) }, stages };
}

/**
 * What a finished job leaves: Together an output name, OpenAI and Azure a model, Nebius only a
 * checkpoint.
 */
function finalResult(provider: ProviderName, id: string, n: number, at: number): Omit<Stage, 'status'> {
  const events = [doneEvent(provider, at)];
  if (provider === 'together') return { events, job: { model_output_name: `yourname/large-history-${n}` } };
  if (provider === 'azure-openai') {
    return { events, job: { fine_tuned_model: `${AZURE_BASE_MODEL}.ft-${id.replace(/^ftjob-/, '')}` } };
  }
  if (provider === 'openai') {
    return {
      events,
      job: {
        fine_tuned_model: `ft:gpt-4o-mini-2024-07-18:personal:large-${n}:${fakeBase62(id, 8)}`,
      },
    };
  }
  return {
    events,
    checkpoints: [{ step: n - 3, at, id: `ftckpt_${fakeUuid(`${id}-final`)}`, model: null }],
  };
}

/** Starts, then stays `running` forever with a distant ETA: for timeout and abort tests. */
export function neverEnding(provider: ProviderName): NamedScenario {
  if (hasNoEvents(provider)) return eventlessNeverEnding(provider);
  const id = jobId(provider, `never-${provider}`);
  const start = nowSeconds() - 120;
  const random = seededRandom(1);
  const eta: Record<string, unknown> =
    provider === 'together'
      ? { progress: { estimate_available: true, seconds_remaining: 86_400 } }
      : {
          estimated_finish: start + 86_400,
          ...(provider === 'nebius' ? { trained_steps: 3, total_steps: 5000 } : {}),
        };
  return {
    id,
    provider,
    job: { created_at: createdAt(provider, start) },
    stages: [
      { status: firstStatus(provider), events: [createdEvent(provider, id, 0)] },
      {
        status: 'running',
        events: [startedEvent(provider, 30), stepEvent(provider, 1, 5000, 60, random)],
        job: eta,
      },
    ],
  };
}

/** Together dates its jobs with ISO strings, the others with unix seconds. */
function createdAt(provider: ProviderName, start: number): string | number {
  return provider === 'together' ? new Date(start * 1000).toISOString() : start;
}
