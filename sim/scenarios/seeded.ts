/**
 * Jobs made up from a seed, for fault schedules: a few dozen events spread over a few stages, in
 * each provider's own style, ending as the seed says. Every event message is unique (it names the
 * seed and its position), except Together's deliberately repeated event, which must be kept twice.
 */
import { lossAt, round, seededRandom } from '../synth.js';
import type { NamedScenario, ProviderName, SimCheckpoint, SimEvent, Stage } from '../types.js';

export type SeededEnd = 'succeeded' | 'failed' | 'cancelled' | 'never';

export interface SeededJob extends NamedScenario {
  /** How the job ends on the provider ('never': it keeps running). */
  end: SeededEnd;
  /** The `error` output a failed job must give. */
  expectedError: string | null;
}

const FINAL_STATUS: Record<ProviderName, Record<Exclude<SeededEnd, 'never'>, string>> = {
  together: { succeeded: 'completed', failed: 'error', cancelled: 'cancelled' },
  openai: { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' },
  nebius: { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' },
  'azure-openai': { succeeded: 'succeeded', failed: 'failed', cancelled: 'cancelled' },
  // The event-less platforms only show how the job ends; their seeded events are never served.
  fireworks: {
    succeeded: 'JOB_STATE_COMPLETED',
    failed: 'JOB_STATE_FAILED',
    cancelled: 'JOB_STATE_CANCELLED',
  },
  bedrock: { succeeded: 'Completed', failed: 'Failed', cancelled: 'Stopped' },
  vertex: { succeeded: 'JOB_STATE_SUCCEEDED', failed: 'JOB_STATE_FAILED', cancelled: 'JOB_STATE_CANCELLED' },
};

const TOGETHER_LEVELS = ['info', 'info', 'info', 'warning', 'WARNING', '', null, 'legacy_iwarning'];
const OPENAI_LEVELS = ['info', 'info', 'info', 'warn', 'INFO'];

export interface SeededJobOptions {
  /** Fewest and most events before the end (inclusive). */
  events?: [number, number];
}

export function seededJob(
  provider: ProviderName,
  end: SeededEnd,
  seed: number,
  options: SeededJobOptions = {},
): SeededJob {
  const random = seededRandom(seed ^ 0x5eed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const [fewest, most] = options.events ?? [6, 24];
  const count = fewest + Math.floor(random() * (most - fewest + 1));
  const id =
    provider === 'together' ? `ft-seed-${seed}-${provider}` : `ftjob-seed${seed}${provider.slice(0, 3)}`;
  const label = `seed ${seed} ${provider}`;

  const progress: SimEvent[] = [];
  for (let i = 1; i <= count; i++) {
    if (provider === 'openai' && random() < 0.6) {
      const train = lossAt(i, count, random);
      progress.push({
        type: 'metrics',
        level: 'info',
        message: `Step ${i}/${count}: training loss=${train.toFixed(4)} (${label})`,
        data: { step: i, train_loss: train, valid_loss: round(train + 0.05), total_steps: count },
      });
      continue;
    }
    const level = pick(provider === 'together' ? TOGETHER_LEVELS : OPENAI_LEVELS);
    const type =
      provider === 'together' ? pick(['job_start', 'checkpoint_save', 'epoch', 'EPOCH']) : 'message';
    progress.push({ type, level, message: `${label} event ${i}` });
    // Together sends no ids: two identical events in a row are two events, and must stay two.
    if (provider === 'together' && random() < 0.15) {
      progress.push({ type, level, message: `${label} event ${i}`, sameTimeAsPrevious: true });
    }
  }

  const stages: Stage[] = [
    {
      status: provider === 'together' ? 'pending' : provider === 'openai' ? 'validating_files' : 'queued',
      events: [{ type: 'job_pending', level: 'info', message: `${label} created` }],
    },
  ];
  const chunks = 1 + Math.floor(random() * 4);
  const size = Math.ceil(progress.length / chunks);
  for (let i = 0; i < progress.length; i += size) {
    const checkpoints: SimCheckpoint[] =
      provider !== 'together' && random() < 0.5 ? [{ step: i + 1, id: `ftckpt_seed${seed}_${i}` }] : [];
    stages.push({ status: 'running', events: progress.slice(i, i + size), checkpoints });
  }

  let expectedError: string | null = null;
  if (end !== 'never') {
    const status = FINAL_STATUS[provider][end];
    const closing: SimEvent[] = [];
    const job: Record<string, unknown> = {};
    if (end === 'succeeded') {
      closing.push({ type: 'job_complete', level: 'info', message: `${label} finished` });
      if (provider === 'together') job.model_output_name = `yourname/seed-${seed}`;
      if (provider === 'openai' || provider === 'azure-openai')
        job.fine_tuned_model = `ft:gpt-4o-mini-2024-07-18:personal::seed${seed}`;
    } else if (end === 'failed') {
      expectedError = `${label}: CUDA out of memory`;
      closing.push(
        { type: 'job_error', level: 'error', message: `${label}: an earlier error` },
        { type: 'job_error', level: 'error', message: expectedError },
      );
      if (provider !== 'together') job.error = { message: expectedError, code: 'oom', param: null };
    } else {
      closing.push({ type: 'job_stopped', level: 'info', message: `${label} stopped` });
    }
    if (provider === 'together' && end === 'cancelled') {
      stages.push({
        status: 'cancel_requested',
        events: [{ type: 'cancel_requested', message: `${label} cancel requested` }],
      });
    }
    stages.push({ status, events: closing, job, checkpoints: [] });
  }
  // Started an hour ago, as a job a workflow attaches to would have been.
  const start = Math.floor(Date.now() / 1000) - 3600;
  const job = { created_at: provider === 'together' ? new Date(start * 1000).toISOString() : start };
  return { id, provider, job, stages, end, expectedError };
}
