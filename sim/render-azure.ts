/**
 * Azure OpenAI response shapes: OpenAI's objects as Azure serves them, after the real output of
 * the Microsoft tutorial (fixtures/azure-tutorial-*.json): `ftevent-`/`ftchkpt-` ids of 32 hex
 * digits, explicit nulls on the job, -1 for hyperparameters left on auto, message events without
 * `data`, and fine-tuned models named `<base model>.ft-<job hex>`.
 */
import type { SimJob, StoredCheckpoint, StoredEvent } from './job-state.js';
import { fakeHex } from './synth.js';

export const AZURE_BASE_MODEL = 'gpt-4o-mini-2024-07-18';

function idOverride(extra: Record<string, unknown> | undefined): string | undefined {
  return extra && 'id' in extra ? String(extra.id) : undefined;
}

/** The event's id: the scenario's own (`extra.id`), else 32 hex digits derived from job and position. */
export function azureEventId(job: SimJob, event: StoredEvent): string {
  return idOverride(event.extra) ?? `ftevent-${fakeHex(`${job.id}/event/${event.seq}`)}`;
}

export function azureEvent(job: SimJob, event: StoredEvent): Record<string, unknown> {
  const data = event.data;
  const isMetrics = typeof data === 'object' && data !== null && 'step' in data;
  return {
    id: azureEventId(job, event),
    created_at: Math.floor(job.start + event.at),
    level: event.level === undefined ? 'info' : event.level,
    message: event.message,
    object: 'fine_tuning.job.event',
    type: event.type === undefined ? (isMetrics ? 'metrics' : 'message') : event.type,
    // The tutorial's message events carry no `data` at all; metrics events carry the step's numbers.
    ...(data === undefined ? {} : { data }),
    ...event.extra,
  };
}

/** `<base model>.ft-<hex of the job id>`, or the job's `fine_tuned_model` once it has one. */
export function azureModelName(job: SimJob): string {
  const model = typeof job.fields.model === 'string' ? job.fields.model : AZURE_BASE_MODEL;
  return typeof job.fields.fine_tuned_model === 'string'
    ? job.fields.fine_tuned_model
    : `${model}.ft-${job.id.replace(/^ftjob-/, '')}`;
}

export function azureCheckpointId(job: SimJob, checkpoint: StoredCheckpoint): string {
  return checkpoint.id ?? `ftchkpt-${fakeHex(`${job.id}/checkpoint/${checkpoint.seq}`)}`;
}

export function azureCheckpoint(job: SimJob, checkpoint: StoredCheckpoint): Record<string, unknown> {
  return {
    id: azureCheckpointId(job, checkpoint),
    created_at: Math.floor(job.start + checkpoint.at),
    fine_tuned_model_checkpoint:
      checkpoint.model !== undefined
        ? checkpoint.model
        : `${azureModelName(job)}:ckpt-step-${checkpoint.step}`,
    fine_tuning_job_id: job.id,
    metrics: checkpoint.metrics ?? { step: checkpoint.step },
    object: 'fine_tuning.job.checkpoint',
    step_number: checkpoint.step,
    ...checkpoint.extra,
  };
}

/** The job object, in the key order and with the nulls of the tutorial's pending job. */
export function azureJob(job: SimJob): Record<string, unknown> {
  const body: Record<string, unknown> = {
    id: job.id,
    created_at: Math.floor(job.start),
    error: null,
    fine_tuned_model: null,
    finished_at: null,
    hyperparameters: { n_epochs: -1, batch_size: -1, learning_rate_multiplier: 1 },
    model: AZURE_BASE_MODEL,
    object: 'fine_tuning.job',
    organization_id: null,
    result_files: null,
    seed: 105,
    status: job.status,
    trained_tokens: null,
    training_file: `file-${fakeHex(`${job.id}/training-file`)}`,
    validation_file: null,
    estimated_finish: null,
    integrations: null,
    ...job.fields,
  };
  // The live state wins over any id/status a scenario put among its fields.
  body.id = job.id;
  body.status = job.status;
  return body;
}
