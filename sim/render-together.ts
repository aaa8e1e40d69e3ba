/**
 * Together AI response shapes (FinetuneResponse, FineTuneEvent, FineTuneCheckpoint), from
 * togethercomputer/openapi openapi.yaml (2026-04) and the real 2023 event in fixtures/.
 */
import type { SimJob, StoredCheckpoint, StoredEvent } from './job-state.js';

export function iso(unixSeconds: number): string {
  return new Date(Math.round(unixSeconds * 1000)).toISOString();
}

/** Together events carry no id; every field the schema requires is present, mostly zero. */
export function togetherEvent(job: SimJob, event: StoredEvent): Record<string, unknown> {
  return {
    object: 'fine-tune-event',
    created_at: iso(job.start + event.at),
    level: event.level === undefined ? 'info' : event.level,
    message: event.message,
    type: event.type === undefined ? 'job_start' : event.type,
    param_count: 0,
    token_count: 0,
    total_steps: 0,
    wandb_url: '',
    step: 0,
    checkpoint_path: '',
    model_path: '',
    training_offset: 0,
    hash: '',
    ...event.extra,
  };
}

export function togetherCheckpoint(job: SimJob, checkpoint: StoredCheckpoint): Record<string, unknown> {
  return {
    step: checkpoint.step,
    created_at: iso(job.start + checkpoint.at),
    path: checkpoint.model ?? `s3://together-ft-checkpoints/${job.id}/checkpoint-${checkpoint.step}`,
    checkpoint_type: checkpoint.type ?? 'Intermediate',
    ...checkpoint.extra,
  };
}

/** The job object; `GET /fine-tunes/{id}` embeds the whole event list, the cancel reply does not. */
export function togetherJob(job: SimJob, withEvents: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: job.id,
    status: job.status,
    model: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
    model_output_name: '',
    model_output_path: '',
    training_file: 'file-5e6f7a8b-1c2d-4e3f-9a0b-c1d2e3f4a5b6',
    validation_file: '',
    created_at: iso(job.start),
    updated_at: iso(job.start + job.lastAt()),
    n_epochs: 1,
    n_checkpoints: 1,
    n_evals: 0,
    batch_size: 'max',
    learning_rate: 0.00001,
    epochs_completed: 0,
    token_count: 0,
    param_count: 0,
    total_price: 0,
    queue_depth: 0,
    wandb_project_name: '',
    wandb_url: '',
    progress: { estimate_available: false, seconds_remaining: 0 },
    ...job.fields,
  };
  // The live state wins over any id/status a scenario put among its fields.
  body.id = job.id;
  body.status = job.status;
  if (withEvents) body.events = job.events.map((event) => togetherEvent(job, event));
  return body;
}
