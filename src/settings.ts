import * as z from 'zod/mini';
import { Input, MAX_JOBS, OUTCOMES, type Outcome, PROVIDERS, type ProviderName } from './constants.js';
import { parseRanking, type Ranking } from './ranking.js';
import { ConfigError } from './errors.js';
import { CONDITION_EXAMPLE, type Condition, parseRequire } from './gates.js';
import { unsendableCharacter } from './http/header-value.js';
import { type Platform, platformOf } from './providers/index.js';
import { type Vocabulary, workflowVocabulary } from './vocabulary.js';

/** Everything the action needs to know, checked and converted once. */
export interface Settings {
  provider: ProviderName;
  /** The first job given: the one job of a single-job step. */
  jobId: string;
  /** Every job given, in order, each once (one for a single-job step). */
  jobIds: readonly string[];
  /** null for platforms that sign with the cloud's own credentials (no `api-key`). */
  apiKey: string | null;
  /** Without a trailing slash; request paths are appended to it (and its query to every request). */
  baseUrl: string;
  wait: boolean;
  pollIntervalMs: number;
  /** null: no limit of our own. */
  timeoutMs: number | null;
  failOn: ReadonlySet<Outcome>;
  cancelOnTimeout: boolean;
  cancelOnAbort: boolean;
  summary: boolean;
  commentOnPr: boolean;
  githubToken: string;
  /** Quality gates the final metrics must meet for `succeeded`; empty: none. */
  require: readonly Condition[];
  /** How several jobs are ranked for `best-job-id`. */
  rankBy: Ranking;
}

/** Defaults as action.yml declares them, for callers that do not go through the runner. */
export const INPUT_DEFAULTS: Record<Input, string> = {
  [Input.Provider]: '',
  [Input.JobId]: '',
  [Input.ApiKey]: '',
  [Input.BaseUrl]: '',
  [Input.Wait]: 'true',
  [Input.PollInterval]: '30',
  [Input.TimeoutMinutes]: '330',
  [Input.FailOn]: 'failed,cancelled,timed_out,rejected',
  [Input.CancelOnTimeout]: 'false',
  [Input.CancelOnAbort]: 'false',
  [Input.Summary]: 'true',
  [Input.CommentOnPr]: 'false',
  [Input.GithubToken]: '',
  [Input.Require]: '',
  [Input.RankBy]: 'valid_loss',
};

const MAX_POLL_INTERVAL_SECONDS = 86_400;
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];
const DECIMAL = /^\+?(\d+(\.\d*)?|\.\d+)$/;

/** The YAML 1.2 core-schema booleans, as core.getBooleanInput accepts them. */
export function parseBoolean(raw: string): boolean | undefined {
  const value = raw.trim();
  if (TRUE_WORDS.includes(value)) return true;
  if (FALSE_WORDS.includes(value)) return false;
  return undefined;
}

/** A plain non-negative decimal such as `30`, `0.5` or `.25`; no units, no exponents. */
export function parseDecimal(raw: string): number | undefined {
  const value = raw.trim();
  if (!DECIMAL.test(value)) return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

const quoted = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/** What an input parser returns for a value it cannot use: what to change, after the input's name. */
class Invalid {
  constructor(readonly message: string) {}
}

/** A schema for one input: the runner gives a string, `parse` makes the setting of it. */
function stringInput<T>(parse: (raw: string) => T | Invalid) {
  return z.pipe(
    z.string(),
    z.transform((raw: string, payload) => {
      const value = parse(raw);
      if (!(value instanceof Invalid)) return value;
      payload.issues.push({ code: 'custom', message: value.message, input: raw });
      return z.NEVER;
    }),
  );
}

const booleanInput = stringInput((raw) => {
  const value = parseBoolean(raw);
  if (value === undefined) {
    return new Invalid(`must be \`true\` or \`false\`, got ${quoted(raw)}`);
  }
  return value;
});

const providerInput = stringInput((raw) => {
  const value = raw.trim().toLowerCase();
  if (!(PROVIDERS as readonly string[]).includes(value)) {
    return new Invalid(
      `${raw.trim() === '' ? 'is required' : `got ${quoted(raw)}`}; use one of ${PROVIDERS.map((p) => `\`${p}\``).join(', ')}`,
    );
  }
  return value as ProviderName;
});

/** One or more ids, separated by commas, spaces or line breaks; each once, in the order given. */
export function splitJobIds(raw: string): string[] {
  return [...new Set(raw.split(/[\s,]+/).filter((id) => id !== ''))];
}

const jobIdInput = stringInput((raw) => {
  const ids = splitJobIds(raw);
  if (ids.length === 0) {
    return new Invalid(
      'is required: the id of the fine-tuning job to watch (`ft-…` on Together, `ftjob-…` on OpenAI, Azure OpenAI and Nebius, the job’s full name on Fireworks and Vertex AI, its ARN on Bedrock), or several, separated by commas, spaces or lines',
    );
  }
  if (ids.length > MAX_JOBS)
    return new Invalid(`names ${ids.length} jobs; one step watches at most ${MAX_JOBS}`);
  const control = ids.find((id) => /[\u0000-\u001f\u007f]/.test(id));
  if (control !== undefined)
    return new Invalid(`must not contain control characters, got ${quoted(control)}`);
  return ids as readonly string[];
});

const rankByInput = stringInput((raw) => {
  const ranking = parseRanking(raw);
  return (
    ranking ??
    new Invalid(
      `must be a metric (lowest wins) or \`max <metric>\` (highest wins), e.g. \`valid_loss\`, got ${quoted(raw)}`,
    )
  );
});

const baseUrlInput = stringInput((raw) => {
  const value = raw.trim();
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return new Invalid(`is not a URL: ${quoted(value)}; use e.g. \`https://api.openai.com/v1\``);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return new Invalid(`must be an http(s) URL, got ${quoted(value)}`);
  }
  if (url.hash || url.username || url.password) {
    return new Invalid(
      'must be the API root only (no fragment or credentials); pass the key through `api-key`',
    );
  }
  // Whether a query may follow is the platform's to say (Azure's `api-version`).
  return url;
});

const pollIntervalInput = stringInput((raw) => {
  const seconds = parseDecimal(raw);
  if (seconds === undefined || seconds <= 0 || seconds > MAX_POLL_INTERVAL_SECONDS) {
    return new Invalid(
      `must be a positive number of seconds up to ${MAX_POLL_INTERVAL_SECONDS} (fractions allowed, e.g. \`30\` or \`0.5\`), got ${quoted(raw)}`,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
});

const timeoutMinutesInput = stringInput((raw) => {
  const minutes = parseDecimal(raw);
  if (minutes === undefined) {
    return new Invalid(
      `must be a number of minutes, \`0\` for no limit (fractions allowed, e.g. \`330\` or \`0.5\`), got ${quoted(raw)}`,
    );
  }
  return minutes === 0 ? null : Math.max(1, Math.round(minutes * 60_000));
});

const failOnInput = stringInput((raw) => {
  const names = raw
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const unknown = names.filter((name) => !(OUTCOMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    return new Invalid(
      `has unknown outcome${unknown.length > 1 ? 's' : ''} ${unknown.map(quoted).join(', ')}; use a comma-separated list of ${OUTCOMES.map((o) => `\`${o}\``).join(', ')}, or leave it empty`,
    );
  }
  return new Set(names as Outcome[]) as ReadonlySet<Outcome>;
});

const textInput = stringInput((raw) => raw.trim());

const requireInput = stringInput((raw) => {
  const parsed = parseRequire(raw);
  if (!('invalid' in parsed)) return parsed as readonly Condition[];
  return new Invalid(
    `has a condition that does not parse: ${quoted(parsed.invalid)}; write one \`<metric> <op> <number>\` a line (or separated by \`;\`), with <, <=, > or >=, e.g. \`${CONDITION_EXAMPLE}\``,
  );
});

/** One schema entry per input, so an input cannot be added to action.yml and forgotten here. */
const inputSchemas = {
  [Input.Provider]: providerInput,
  [Input.JobId]: jobIdInput,
  [Input.ApiKey]: textInput,
  [Input.BaseUrl]: baseUrlInput,
  [Input.Wait]: booleanInput,
  [Input.PollInterval]: pollIntervalInput,
  [Input.TimeoutMinutes]: timeoutMinutesInput,
  [Input.FailOn]: failOnInput,
  [Input.CancelOnTimeout]: booleanInput,
  [Input.CancelOnAbort]: booleanInput,
  [Input.Summary]: booleanInput,
  [Input.CommentOnPr]: booleanInput,
  [Input.GithubToken]: textInput,
  [Input.Require]: requireInput,
  [Input.RankBy]: rankByInput,
} satisfies Record<Input, z.ZodMiniType>;

const settingsSchema = z.object(inputSchemas);

/** Returns an input's raw value, or undefined when it was not given at all. */
export type InputReader = (name: Input) => string | undefined;

/** Inputs whose empty value means something of its own rather than "use the default". */
const EMPTY_IS_A_VALUE: ReadonlySet<Input> = new Set([Input.FailOn]);

function withDefault(name: Input, value: string | undefined): string {
  if (value === undefined) return INPUT_DEFAULTS[name];
  if (value.trim() === '' && !EMPTY_IS_A_VALUE.has(name)) return INPUT_DEFAULTS[name];
  return value;
}

/**
 * Reads every input, applies action.yml's defaults where one is missing, and returns the
 * settings or throws one ConfigError listing each problem with its fix, in the words of
 * `vocabulary` (a workflow's inputs, or a command line's flags and variables).
 */
export function readSettings(
  readInput: InputReader,
  env: NodeJS.ProcessEnv,
  vocabulary: Vocabulary = workflowVocabulary,
): Settings {
  const raw = Object.fromEntries(
    Object.values(Input).map((name) => [name, withDefault(name, readInput(name))]),
  );
  const parsed = settingsSchema.safeParse(raw);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${vocabulary.subject(issue.path[0] as Input)} ${issue.message}.`);
  // What depends on the platform is checked with the rest, so that one message names every problem.
  const provider = parsed.success ? parsed.data[Input.Provider] : validProvider(raw[Input.Provider]);
  const platformChecked = provider === null ? null : checkForPlatform(provider, raw, env, vocabulary);
  if (platformChecked !== null) problems.push(...platformChecked.problems);
  if (!parsed.success || platformChecked === null || problems.length > 0) {
    throw new ConfigError(
      problems.length === 1 ? (problems[0] as string) : `Invalid inputs:\n- ${problems.join('\n- ')}`,
    );
  }
  const values = parsed.data;
  return {
    provider: values[Input.Provider],
    jobId: values[Input.JobId][0] as string,
    jobIds: values[Input.JobId],
    apiKey: platformChecked.apiKey,
    baseUrl: platformChecked.baseUrl,
    wait: values[Input.Wait],
    pollIntervalMs: values[Input.PollInterval],
    timeoutMs: values[Input.TimeoutMinutes],
    failOn: values[Input.FailOn],
    cancelOnTimeout: values[Input.CancelOnTimeout],
    cancelOnAbort: values[Input.CancelOnAbort],
    summary: values[Input.Summary],
    commentOnPr: values[Input.CommentOnPr],
    githubToken: values[Input.GithubToken] || (env.GITHUB_TOKEN ?? ''),
    require: values[Input.Require],
    rankBy: values[Input.RankBy],
  };
}

/** The checks a platform makes: its job ids, its API root, its key or credentials. */
function checkForPlatform(
  provider: ProviderName,
  raw: Record<string, string>,
  env: NodeJS.ProcessEnv,
  vocabulary: Vocabulary,
): { problems: string[]; apiKey: string | null; baseUrl: string } {
  const platform = platformOf(provider);
  const problems: string[] = [];
  const jobIds = splitJobIds(raw[Input.JobId] ?? '').slice(0, MAX_JOBS);
  const jobIdProblems = jobIds.flatMap((id) => platform.checkJobId(id) ?? []);
  problems.push(...jobIdProblems.map((problem) => `${vocabulary.subject(Input.JobId)} ${problem}`));
  let baseUrl = '';
  const given = parseUrl(raw[Input.BaseUrl] ?? '');
  if (given !== undefined && (jobIdProblems.length === 0 || platform.defaultBaseUrl !== null)) {
    // One API root for the step: jobs whose roots differ (two regions) need a step each.
    const roots = new Set<string>();
    for (const jobId of jobIds.length > 0 ? jobIds : ['']) {
      const resolved = platform.resolveBaseUrl(given, { jobId, env, vocabulary });
      if (typeof resolved === 'string') roots.add(resolved);
      else problems.push(resolved.problem);
    }
    baseUrl = [...roots][0] ?? '';
    if (roots.size > 1)
      problems.push(
        `${vocabulary.subject(Input.JobId)} names jobs served from different API roots (${[...roots].join(', ')}): watch each region or location in a step of its own.`,
      );
  }
  const key = readKey(platform, raw[Input.ApiKey] ?? '', env, vocabulary);
  if ('problem' in key) problems.push(key.problem);
  return { problems, apiKey: 'key' in key ? key.key : null, baseUrl };
}

/** The URL of `base-url`, null when it is empty, undefined when it is not a URL (reported elsewhere). */
function parseUrl(raw: string): URL | null | undefined {
  if (raw.trim() === '') return null;
  try {
    return new URL(raw.trim());
  } catch {
    return undefined;
  }
}

function validProvider(raw: string | undefined): ProviderName | null {
  const value = (raw ?? '').trim().toLowerCase();
  return (PROVIDERS as readonly string[]).includes(value) ? (value as ProviderName) : null;
}

/** The key from `api-key`, else the platform's variable; or what is wrong with it. */
function readKey(
  platform: Platform,
  input: string,
  env: NodeJS.ProcessEnv,
  vocabulary: Vocabulary,
): { key: string } | { problem: string } | { cloud: true } {
  const variable = platform.keyVariable;
  const given = input.trim();
  if (variable === null) {
    if (given === '') return { cloud: true };
    return {
      problem: `${vocabulary.subject(Input.ApiKey)} is not used by ${platform.name}: it signs requests with the cloud's own credentials. Leave it empty and run the cloud's auth action before this step.`,
    };
  }
  const key = given || (env[variable] ?? '').trim();
  if (key === '')
    return { problem: `No API key for ${platform.name}: set ${vocabulary.keySources(variable)}.` };
  const unsendable = unsendableCharacter(key);
  if (!unsendable) return { key };
  const source = given ? vocabulary.subject(Input.ApiKey) : `The ${variable} environment variable`;
  return {
    problem: `${source} holds a key that cannot be sent in an HTTP header: it has ${unsendable.codePoint} at character ${unsendable.position} (a space, line break or invisible character copied with it). Copy the key again without it.`,
  };
}
