/** Input names as they appear in action.yml; the one list every reader of inputs uses. */
export enum Input {
  Provider = 'provider',
  JobId = 'job-id',
  ApiKey = 'api-key',
  BaseUrl = 'base-url',
  Wait = 'wait',
  PollInterval = 'poll-interval',
  TimeoutMinutes = 'timeout-minutes',
  FailOn = 'fail-on',
  CancelOnTimeout = 'cancel-on-timeout',
  CancelOnAbort = 'cancel-on-abort',
  Summary = 'summary',
  CommentOnPr = 'comment-on-pr',
  GithubToken = 'github-token',
  Require = 'require',
  RankBy = 'rank-by',
}

/** Output names as they appear in action.yml. */
export enum Output {
  Status = 'status',
  ProviderStatus = 'provider-status',
  Model = 'model',
  ModelPath = 'model-path',
  JobId = 'job-id',
  Error = 'error',
  EventsCount = 'events-count',
  Checkpoints = 'checkpoints',
  Metrics = 'metrics',
  EventsFile = 'events-file',
  Gates = 'gates',
  Jobs = 'jobs',
  BestJobId = 'best-job-id',
}

export const PROVIDERS = [
  'together',
  'nebius',
  'openai',
  'azure-openai',
  'fireworks',
  'bedrock',
  'vertex',
] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const OUTCOMES = ['succeeded', 'failed', 'cancelled', 'running', 'timed_out', 'rejected'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Jobs one step watches at most. */
export const MAX_JOBS = 50;

/** Each HTTP attempt gets this long, headers and body included. */
export const REQUEST_TIMEOUT_MS = 30_000;
