/**
 * Jobs whose provider sends hostile text and wrong types: workflow commands after every kind of
 * line break, HTML that runs script, a 1 MB message, lone surrogates, control characters, null
 * where strings belong, and a wrong type in every field of the job, its events and checkpoints.
 */
import type { NamedScenario, ProviderName, SimEvent, Stage } from '../../sim/types.js';

/** Text that would be obeyed if it reached the runner, the summary or the comment unescaped. */
export const HOSTILE_MESSAGES = [
  'done\n::add-mask::x',
  'ok\n::stop-commands::pwned',
  'x\n::set-output name=status::succeeded',
  'x\r\n::add-path::/tmp/evil',
  'x\n::save-state name=token::stolen',
  'x\n::echo::on',
  'x\n::set-env name=NODE_OPTIONS::--require=/tmp/evil.js',
  'progress 10%\r::error::fake failure\rprogress 20%',
  '::pwned::',
  '  ::add-mask::indented',
  '##[add-mask]legacy',
  'x ##[set-output name=model;]evil',
  '<script>alert(document.cookie)</script>',
  '<img src=x onerror=alert(1)>',
  '</pre></details><h1>pwned</h1><!--',
  '@octocat please approve #1 [click](javascript:alert(1)) | cell | **bold**',
  '\ud800 broken \udfff pair',
  '\u0000\u0007\u001b[2J\u001b]0;title\u0007\u009b',
  '\u2028::add-mask::after-line-separator',
];

/** 1 MB of text with a command in the middle of it. */
export const MEGABYTE_MESSAGE = `${'A'.repeat(512 * 1024)}\n::add-mask::deep\n${'B'.repeat(512 * 1024)}`;

/** A wrong type in every field an event has, one event per field. */
const WRONG_EVENT_FIELDS: Record<string, unknown>[] = [
  { message: null },
  { message: { text: '<b>object</b>' } },
  { message: 42 },
  { message: ['::add-mask::in-array'] },
  { level: 7 },
  { level: null },
  { type: { nested: true } },
  { type: '::set-output name=type::x' },
  { created_at: { when: 'never' } },
  { created_at: 'not a date' },
  { data: 'not an object' },
  { data: [1, 2, 3] },
  { model_path: 12 },
  { id: 9_007_199 },
  { id: true },
  { hash: { a: 1 } },
];

/** The platforms with an events list, where hostile event text can arrive. */
export type EventsProvider = Extract<ProviderName, 'together' | 'openai' | 'nebius' | 'azure-openai'>;

const OPENAI_WRONG_FIELDS = {
  model: 5,
  fine_tuned_model: 123,
  error: 'a string where an object belongs',
  created_at: 'x',
  finished_at: [],
  estimated_finish: {},
  trained_tokens: '100',
  trained_steps: 'many',
  total_steps: null,
  hyperparameters: 'none',
};

const WRONG_JOB_FIELDS: Record<EventsProvider, Record<string, unknown>> = {
  together: {
    model: 5,
    model_output_name: 42,
    model_output_path: ['x'],
    created_at: {},
    updated_at: 'yesterday',
    n_epochs: 'three',
    epochs_completed: null,
    token_count: '1e9',
    total_steps: {},
    progress: 'soon',
    wandb_url: 7,
  },
  openai: OPENAI_WRONG_FIELDS,
  'azure-openai': OPENAI_WRONG_FIELDS,
  nebius: {
    model: { name: 'x' },
    fine_tuned_model: false,
    error: ['x'],
    created_at: null,
    estimated_finish: 'tomorrow',
    trained_steps: {},
    total_steps: '5',
  },
};

const STATUS: Record<EventsProvider, { first: string; done: string; failed: string }> = {
  together: { first: 'pending', done: 'completed', failed: 'error' },
  openai: { first: 'validating_files', done: 'succeeded', failed: 'failed' },
  nebius: { first: 'queued', done: 'succeeded', failed: 'failed' },
  'azure-openai': { first: 'pending', done: 'succeeded', failed: 'failed' },
};

/** Every hostile message and wrong type, in a job that ends as `end`. */
export function hostileJob(
  provider: EventsProvider,
  end: 'succeeded' | 'failed' = 'succeeded',
): NamedScenario {
  const levels = ['info', 'warning', 'error', 'warn', null];
  const hostile: SimEvent[] = HOSTILE_MESSAGES.map((message, i) => ({
    message,
    level: levels[i % levels.length],
    type: provider === 'together' ? 'job_start' : 'message',
  }));
  const wrong: SimEvent[] = WRONG_EVENT_FIELDS.map((extra, i) => ({ message: `wrong types ${i}`, extra }));
  const status = STATUS[provider];
  const failure = `::add-mask::job-error\n<script>alert(1)</script> @octocat ${MEGABYTE_MESSAGE}`;
  const stages: Stage[] = [
    { status: status.first, events: [{ message: 'created' }], job: WRONG_JOB_FIELDS[provider] },
    {
      status: 'running',
      events: [...hostile, { message: MEGABYTE_MESSAGE, level: 'warning' }, ...wrong],
      checkpoints: [
        {
          step: 1,
          extra: {
            step_number: 'ten',
            id: 7,
            fine_tuned_model_checkpoint: {},
            metrics: 'x',
            created_at: true,
          },
        },
        { step: 2, model: '<img src=x onerror=alert(1)>`\n```', extra: { path: ['x'] } },
      ],
      metrics: [{ 'train/loss': 'NaN', 'train/global_step': {} } as unknown as Record<string, number>],
    },
    end === 'succeeded'
      ? {
          status: status.done,
          events: [{ message: 'finished\n::set-output name=model::evil', type: 'job_complete' }],
          job: { fine_tuned_model: '<b>ft:model</b>`@octocat', model_output_name: '<b>model</b>\n::x::' },
        }
      : {
          status: status.failed,
          events: [{ message: failure, level: 'error', type: 'job_error' }],
          job: { error: { message: failure, code: 'oom', param: null } },
        },
  ];
  return { id: provider === 'together' ? 'ft-hostile-0001' : 'ftjob-hostile0001', provider, stages };
}

/** The platforms whose only view of a job is the job object: hostile text can come only in it. */
export type ResourceProvider = Extract<ProviderName, 'fireworks' | 'bedrock' | 'vertex'>;

const RESOURCE_IDS: Record<ResourceProvider, string> = {
  fireworks: 'accounts/acme/supervisedFineTuningJobs/hostile01',
  bedrock:
    'arn:aws:bedrock:us-east-1:123456789012:model-customization-job/amazon.nova-micro-v1:0:128k/hostile00001',
  vertex: 'projects/acme-ml/locations/us-central1/tuningJobs/1234567890123456789',
};

/** A wrong type in every field the job object has (AIP resources and Bedrock's shape). */
const WRONG_RESOURCE_FIELDS: Record<ResourceProvider, Record<string, unknown>> = {
  fireworks: {
    displayName: 7,
    createTime: { when: 'never' },
    updateTime: 'yesterday',
    completedTime: [],
    outputModel: { name: 'x' },
    baseModel: null,
    epochs: 'three',
    jobProgress: 'soon',
    status: 'not an object',
  },
  bedrock: {
    jobName: 5,
    creationTime: 'not a date',
    lastModifiedTime: {},
    endTime: [],
    outputModelArn: 42,
    statusDetails: 'none',
    trainingMetrics: 'NaN',
    validationMetrics: { validationLoss: 1 },
    outputDataConfig: ['s3://x'],
  },
  vertex: {
    createTime: 12,
    updateTime: { seconds: 1 },
    endTime: 'soon',
    tunedModel: 'not an object',
    tuningDataStats: 'x',
    error: 'a string where an object belongs',
  },
};

/** Each platform's running, succeeded and failed states, and where it puts a message and a model. */
const RESOURCE_SHAPES: Record<
  ResourceProvider,
  {
    running: string;
    done: string;
    failed: string;
    message: (text: string) => Record<string, unknown>;
    model: (name: string) => Record<string, unknown>;
  }
> = {
  fireworks: {
    running: 'JOB_STATE_RUNNING',
    done: 'JOB_STATE_COMPLETED',
    failed: 'JOB_STATE_FAILED',
    message: (text) => ({ status: { code: 'RUNNING', message: text } }),
    model: (name) => ({ outputModel: name, status: { code: 'OK', message: '' } }),
  },
  bedrock: {
    running: 'InProgress',
    done: 'Completed',
    failed: 'Failed',
    message: (text) => ({ failureMessage: text }),
    model: (name) => ({ outputModelArn: name, failureMessage: undefined }),
  },
  vertex: {
    running: 'JOB_STATE_RUNNING',
    done: 'JOB_STATE_SUCCEEDED',
    failed: 'JOB_STATE_FAILED',
    message: (text) => ({ error: { code: 13, message: text } }),
    model: (name) => ({ tunedModel: { model: name, endpoint: name }, error: undefined }),
  },
};

/**
 * A job that goes through a state for every hostile message (the platforms show a message with a
 * state, and each change becomes an event), with a wrong type in every field first, and ends as
 * `end`: a hostile model name, or a hostile megabyte failure.
 */
export function hostileResourceJob(
  provider: ResourceProvider,
  end: 'succeeded' | 'failed' = 'succeeded',
): NamedScenario {
  const shape = RESOURCE_SHAPES[provider];
  const failure = `::add-mask::job-error\n<script>alert(1)</script> @octocat ${MEGABYTE_MESSAGE}`;
  // Alternate two states, so that each message arrives with a change the action reports.
  const states = [shape.running, provider === 'bedrock' ? 'Stopping' : 'JOB_STATE_PENDING'];
  const stages: Stage[] = [
    { status: shape.running, at: 1, job: WRONG_RESOURCE_FIELDS[provider] },
    ...HOSTILE_MESSAGES.map((message, i): Stage => ({
      status: states[i % 2] as string,
      at: 2 + i,
      job: shape.message(message),
    })),
    end === 'succeeded'
      ? {
          status: shape.done,
          at: 40,
          job: shape.model('<b>ft:model</b>`@octocat\n::set-output name=model::evil'),
        }
      : { status: shape.failed, at: 40, job: shape.message(failure) },
  ];
  return { id: RESOURCE_IDS[provider], provider, stages };
}
