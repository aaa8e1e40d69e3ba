/**
 * Amazon Bedrock end to end: the bundled action (and the CLI bundle) as child processes against
 * the simulator, which checks every request's SigV4 signature against the credentials, region and
 * service (bedrock) it expects. Credentials come the ways a workflow provides them: the variables
 * aws-actions/configure-aws-credentials exports, a shared profile file, or none at all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsCredentials, SIM_AWS_CREDENTIALS } from '../../sim/auth/sigv4.js';
import { type RunActionResult, runAction } from '../../sim/runner.js';
import { bedrockCompleted, bedrockFailed, cancelledJob, neverEnding } from '../../sim/scenarios.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario, RequestRecord } from '../../sim/types.js';
import { runCliBundle } from '../support/cli.js';
import { type EventLine, readEvents } from '../support/events-file.js';
import { runnerCommands } from '../support/runner-commands.js';

/** Short-lived role credentials, as configure-aws-credentials gets them from STS (with a session token). */
const ROLE_CREDENTIALS: AwsCredentials = {
  ...SIM_AWS_CREDENTIALS,
  sessionToken: 'IQoJb3JpZ2luX2VjEHcaCXVzLWVhc3QtMSJHMEUCIQDftwE2eSessionToken+Only/ForTests==',
};
const ROLE_SECRETS = [ROLE_CREDENTIALS.secretAccessKey, ROLE_CREDENTIALS.sessionToken ?? ''];
const REGION = 'us-east-1';
const OUTPUT_URI = 's3://ftw-e2e-artifacts/titan-support-bot/output/';
const MODEL_ARN =
  'arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/e2e0model001';
const GET_ACTION = 'bedrock:GetModelCustomizationJob';
const STOP_ACTION = 'bedrock:StopModelCustomizationJob';

type Env = Record<string, string | undefined>;
type BySim<T> = T | ((sim: FakeProvider) => T);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An empty directory of the test's own: a HOME without ~/.aws, or a place for credential files. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-bedrock-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function simulator(scenario: NamedScenario, options: Partial<FakeProviderOptions> = {}) {
  const sim = await startFakeProvider({
    provider: 'bedrock',
    apiKey: '',
    jobs: { [scenario.id]: scenario },
    ...options,
  });
  cleanups.push(() => sim.close());
  return sim;
}

interface Step {
  sim: FakeProvider;
  result: RunActionResult;
  events: EventLine[];
}

/**
 * dist/index.js as a Bedrock step runs: no `api-key`, `base-url` at the simulator unless the
 * inputs say otherwise, HOME without ~/.aws, the EC2 instance metadata service off (a test machine
 * is no EC2 instance; the runner passes on only PATH and HOME), and the given variables.
 */
async function bedrockStep(
  scenario: NamedScenario,
  env: BySim<Env>,
  options: { inputs?: BySim<Record<string, string>>; sim?: Partial<FakeProviderOptions> } = {},
): Promise<Step> {
  const sim = await simulator(scenario, options.sim);
  const of = <T>(value: BySim<T>): T =>
    typeof value === 'function' ? (value as (sim: FakeProvider) => T)(sim) : value;
  const result = await runAction({
    inputs: {
      provider: 'bedrock',
      'job-id': scenario.id,
      'base-url': sim.baseUrl,
      'poll-interval': '0.02',
      ...of(options.inputs ?? {}),
    },
    env: { HOME: tempDir(), AWS_EC2_METADATA_DISABLED: 'true', ...of(env) },
    timeoutMs: 30_000,
  });
  cleanups.push(() => result.cleanup());
  return { sim, result, events: readEvents(result.outputs['events-file']) };
}

/** The variables aws-actions/configure-aws-credentials exports for the steps after it. */
function configureAwsCredentials(credentials: AwsCredentials, region = REGION): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
}

/**
 * The completed scenario with values owned by this file: an output location, a model ARN, and two
 * validators (the first one's loss is the one reported).
 */
function completed(id?: string): NamedScenario {
  const scenario = bedrockCompleted();
  const last = scenario.stages.length - 1;
  return {
    ...scenario,
    ...(id ? { id } : {}),
    job: { ...scenario.job, outputDataConfig: { s3Uri: OUTPUT_URI } },
    stages: scenario.stages.map((stage, i) =>
      i === last
        ? {
            ...stage,
            job: {
              ...stage.job,
              outputModelArn: MODEL_ARN,
              trainingMetrics: { trainingLoss: 0.4312 },
              validationMetrics: [{ validationLoss: 0.5127 }, { validationLoss: 0.9981 }],
            },
          }
        : stage,
    ),
  };
}

function encodedPath(jobId: string): string {
  return `/model-customization-jobs/${encodeURIComponent(jobId)}`;
}

/** Each request as the simulator answered it; it answers 403 to a signature it cannot reproduce. */
function answered(requests: readonly RequestRecord[]): string[] {
  return requests.map((request) => `${request.method} ${request.route} ${request.status ?? 'none'}`);
}

/** One signed, accepted read per stage of the job: what a run that watched it to the end makes. */
function everyStageRead(scenario: NamedScenario): string[] {
  return scenario.stages.map(() => 'GET job 200');
}

function commandsNamed(name: string, stdout: string): string[] {
  return runnerCommands(stdout)
    .filter((command) => command.name === name)
    .map((command) => command.line);
}

/** None of the values anywhere a workflow or a reader of the run would see them. */
function expectNoneOf(result: RunActionResult, secrets: readonly string[]): void {
  const eventsFile = result.outputs['events-file'];
  const places: Record<string, string> = {
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: Object.values(result.outputs).join('\n'),
    summary: result.summary,
    'events-file': eventsFile ? readFileSync(eventsFile, 'utf8') : '',
  };
  for (const secret of secrets) {
    expect(secret.length).toBeGreaterThan(8);
    for (const [where, text] of Object.entries(places))
      expect(text.includes(secret), `${where} holds ${secret.slice(0, 6)}…`).toBe(false);
  }
}

/** The statuses a job went through, as its status events tell them (`Completed: …` → Completed). */
function statusSequence(events: readonly EventLine[]): string[] {
  const statuses = events.map((event) => event.message.split(':')[0] ?? '');
  return statuses.filter((status, i) => i === 0 || statuses[i - 1] !== status);
}

/** The messages of the event lines in the log (`2024-05-01 10:00:00Z  info     <message>`). */
function loggedEvents(stdout: string): string[] {
  return stdout.split('\n').flatMap((line) => {
    const match = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}\w+ +(.*)$/.exec(line);
    return match ? [match[1] ?? ''] : [];
  });
}

describe('Amazon Bedrock: credentials from aws-actions/configure-aws-credentials', () => {
  it('signs every request (session token included) and reports the model, its S3 path and losses', async () => {
    const scenario = completed();
    const { result, sim, events } = await bedrockStep(scenario, configureAwsCredentials(ROLE_CREDENTIALS), {
      sim: { awsCredentials: ROLE_CREDENTIALS, awsRegion: REGION },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'provider-status': 'Completed',
      model: MODEL_ARN,
      'model-path': OUTPUT_URI,
      'job-id': scenario.id,
      error: '',
      checkpoints: '[]',
    });
    // trainingMetrics.trainingLoss and the first validator's validationLoss.
    expect(JSON.parse(result.outputs.metrics ?? '')).toEqual({ train_loss: 0.4312, valid_loss: 0.5127 });

    // Every read signed with the session's key, secret and token for us-east-1 and bedrock.
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    // The ARN travels as one encoded path segment, as the AWS SDK sends it.
    expect(new Set(sim.requests.map((request) => request.path))).toEqual(new Set([encodedPath(scenario.id)]));

    // No events endpoint: each change the action saw is a status event, dated by the job.
    expect(result.outputs['events-count']).toBe(String(events.length));
    expect(events.every((event) => event.type === 'status' && event.level === 'info')).toBe(true);
    expect(statusSequence(events)).toEqual(['InProgress', 'Completed']);
    expect(new Set(events.map((event) => event.message)).size).toBe(events.length);
    // The completed job's lastModifiedTime: created 10:00:00.123, done 9067.767 s later.
    expect(Date.parse(events.at(-1)?.created_at ?? '')).toBe(Date.parse('2024-05-01T12:31:07.890Z'));
    // Each event once in the log, in the same order.
    expect(loggedEvents(result.stdout)).toEqual(events.map((event) => event.message));
    expect(result.stdout).toContain('InProgress → Completed');

    expect(result.summary).toContain('✅');
    for (const shown of [MODEL_ARN, OUTPUT_URI, '0.4312', '0.5127']) expect(result.summary).toContain(shown);
    expect(result.summary).not.toContain('0.9981');
    expectNoneOf(result, ROLE_SECRETS);
  });

  it('signs for the region in the job ARN, not the one in AWS_REGION', async () => {
    const scenario = completed(
      'arn:aws:bedrock:eu-central-1:123456789012:model-customization-job/amazon.titan-text-express-v1:0:8k/e2eregion001',
    );
    const { result, sim } = await bedrockStep(
      scenario,
      configureAwsCredentials(ROLE_CREDENTIALS, 'us-west-2'),
      {
        sim: { awsCredentials: ROLE_CREDENTIALS, awsRegion: 'eu-central-1' },
      },
    );
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
  });

  it('reads a shared credentials file through AWS_SHARED_CREDENTIALS_FILE and AWS_PROFILE', async () => {
    const dir = tempDir();
    const file = join(dir, 'credentials');
    // The default profile holds keys the simulator refuses: only the named profile may be used.
    writeFileSync(
      file,
      [
        '[default]',
        'aws_access_key_id = AKIAIOSFODNN7DEFAULT',
        'aws_secret_access_key = default/profile/secret/that/the/sim/refuses00',
        '',
        '[ml-ci]',
        `aws_access_key_id = ${ROLE_CREDENTIALS.accessKeyId}`,
        `aws_secret_access_key = ${ROLE_CREDENTIALS.secretAccessKey}`,
        `aws_session_token = ${ROLE_CREDENTIALS.sessionToken}`,
        '',
      ].join('\n'),
    );
    const scenario = completed();
    const { result, sim } = await bedrockStep(
      scenario,
      {
        AWS_SHARED_CREDENTIALS_FILE: file,
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_PROFILE: 'ml-ci',
        AWS_REGION: REGION,
      },
      { sim: { awsCredentials: ROLE_CREDENTIALS } },
    );
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', model: MODEL_ARN });
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    expectNoneOf(result, ROLE_SECRETS);
  });
});

describe('Amazon Bedrock: where requests go', () => {
  const credentials = configureAwsCredentials(SIM_AWS_CREDENTIALS);

  it('takes base-url as the endpoint, a trailing slash tolerated', async () => {
    const scenario = completed();
    const { result, sim } = await bedrockStep(scenario, credentials, {
      inputs: (simulated) => ({ 'base-url': `${simulated.origin}/` }),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`at ${sim.origin}`);
    // A doubled slash (//model-customization-jobs) would name no route.
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
  });

  it.each(['AWS_ENDPOINT_URL_BEDROCK', 'AWS_ENDPOINT_URL'])(
    'honours %s when base-url is empty',
    async (variable) => {
      const scenario = completed();
      const { result, sim } = await bedrockStep(
        scenario,
        (simulated) => ({ ...credentials, [variable]: simulated.origin }),
        {
          inputs: { 'base-url': '' },
        },
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`at ${sim.origin}`);
      expect(result.outputs.status).toBe('succeeded');
      expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    },
  );

  it('lets base-url win over AWS_ENDPOINT_URL_BEDROCK', async () => {
    const scenario = completed();
    const elsewhere = await simulator(completed());
    const { result, sim } = await bedrockStep(scenario, {
      ...credentials,
      AWS_ENDPOINT_URL_BEDROCK: elsewhere.origin,
    });
    expect(result.code).toBe(0);
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    expect(elsewhere.requests).toEqual([]);
  });
});

describe('Amazon Bedrock: a job given by its name', () => {
  const NAME = 'ftw-titan-20240501';
  const keys = {
    AWS_ACCESS_KEY_ID: SIM_AWS_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: SIM_AWS_CREDENTIALS.secretAccessKey,
  };

  it.each(['AWS_REGION', 'AWS_DEFAULT_REGION'])('signs for the region in %s', async (variable) => {
    const scenario = completed();
    expect(scenario.job?.jobName).toBe(NAME);
    const { result, sim } = await bedrockStep(
      scenario,
      { ...keys, [variable]: 'eu-west-1' },
      { inputs: { 'job-id': NAME }, sim: { awsRegion: 'eu-west-1' } },
    );
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'succeeded', 'job-id': NAME, model: MODEL_ARN });
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    expect(new Set(sim.requests.map((request) => request.path))).toEqual(new Set([encodedPath(NAME)]));
  });

  it('without any region, stops before any request and says to set AWS_REGION', async () => {
    const { result, sim } = await bedrockStep(completed(), keys, { inputs: { 'job-id': NAME } });
    expect(result.code).toBe(1);
    expect(sim.requests).toEqual([]);
    const errors = commandsNamed('error', result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('AWS_REGION');
    expect(result.outputs.error).toContain('AWS_REGION');
  });
});

describe('Amazon Bedrock: missing and refused credentials', () => {
  it('with no credentials at all, fails before any request with one message saying what to set', async () => {
    // No AWS_* variable, an empty HOME (no ~/.aws), no instance metadata.
    const { result, sim } = await bedrockStep(completed(), {});
    expect(result.code).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.timedOut).toBe(false);
    // Only tells a prompt failure from one that waited on credential sources (it takes well under 1 s).
    expect(result.durationMs).toBeLessThan(10_000);
    const errors = commandsNamed('error', result.stdout);
    expect(errors).toHaveLength(1);
    for (const named of [
      'aws-actions/configure-aws-credentials',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
    ])
      expect(errors[0]).toContain(named);
    expect(result.outputs.error).toContain('aws-actions/configure-aws-credentials');
    expect(result.outputs.status).toBe('');
    expect(result.stderr).toBe('');
  });

  const refusals: [string, Env, string][] = [
    [
      'a wrong secret key (the signature does not match)',
      { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET1' },
      'InvalidSignatureException',
    ],
    [
      'an access key the account does not know',
      { AWS_ACCESS_KEY_ID: 'AKIAI44QH8DHBEXAMPLE' },
      'UnrecognizedClientException',
    ],
    [
      'role credentials without their session token',
      { AWS_SESSION_TOKEN: undefined },
      'UnrecognizedClientException',
    ],
  ];
  it.each(refusals)('ends at once on %s, naming the IAM action the step needs', async (_, change, type) => {
    const env = { ...configureAwsCredentials(ROLE_CREDENTIALS), ...change };
    const { result, sim } = await bedrockStep(completed(), env, {
      sim: { awsCredentials: ROLE_CREDENTIALS },
    });
    expect(result.code).toBe(1);
    // A 403 is not retried.
    expect(answered(sim.requests)).toEqual(['GET job 403']);
    expect(commandsNamed('error', result.stdout)).toHaveLength(1);
    expect(result.outputs.error).toContain(type);
    expect(result.outputs.error).toContain(GET_ACTION);
    expect(result.outputs.error).toContain('aws-actions/configure-aws-credentials');
    expectNoneOf(result, [env.AWS_SECRET_ACCESS_KEY ?? '', ...ROLE_SECRETS]);
  });

  it('reports AccessDenied with the IAM action the role lacks', async () => {
    const scenario = completed();
    const { result, sim } = await bedrockStep(scenario, configureAwsCredentials(ROLE_CREDENTIALS), {
      sim: { awsCredentials: ROLE_CREDENTIALS, awsDeny: GET_ACTION },
    });
    expect(result.code).toBe(1);
    expect(answered(sim.requests)).toEqual(['GET job 403']);
    expect(commandsNamed('error', result.stdout)).toHaveLength(1);
    expect(result.outputs.error).toContain('AccessDeniedException');
    expect(result.outputs.error).toContain(`lacks ${GET_ACTION}`);
    expect(result.outputs.error).toContain(scenario.id);
    expectNoneOf(result, ROLE_SECRETS);
  });

  it('says the role session ended when the keys expire during a long wait, and how to make it last', async () => {
    const { result, sim } = await bedrockStep(
      neverEnding('bedrock'),
      configureAwsCredentials(ROLE_CREDENTIALS),
      {
        sim: {
          awsCredentials: ROLE_CREDENTIALS,
          // The session configure-aws-credentials started runs out after a few reads.
          fault: (request, n) =>
            n >= 3 && request.route === 'job'
              ? {
                  kind: 'status',
                  status: 403,
                  headers: { 'x-amzn-errortype': 'ExpiredTokenException:http://internal.amazon.com/coral/' },
                  body: JSON.stringify({ message: 'The security token included in the request is expired' }),
                }
              : undefined,
        },
      },
    );
    expect(result.code).toBe(1);
    expect(answered(sim.requests).at(-1)).toBe('GET job 403');
    expect(commandsNamed('error', result.stdout)).toHaveLength(1);
    expect(result.outputs.error).toContain('security token included in the request is expired');
    expect(result.outputs.error).toContain('`role-duration-seconds`');
    expect(result.outputs.error).not.toContain('lacks');
    expectNoneOf(result, ROLE_SECRETS);
  });

  it('scrubs the secret key and session token from whatever Bedrock echoes back', async () => {
    const scenario = bedrockFailed();
    const echo = `Session ${ROLE_CREDENTIALS.sessionToken} (secret ${ROLE_CREDENTIALS.secretAccessKey}) may not read s3://ftw-e2e-artifacts/train.jsonl`;
    const echoing: NamedScenario = {
      ...scenario,
      stages: scenario.stages.map((stage) =>
        stage.status === 'Failed' ? { ...stage, job: { ...stage.job, failureMessage: echo } } : stage,
      ),
    };
    const { result } = await bedrockStep(echoing, configureAwsCredentials(ROLE_CREDENTIALS), {
      sim: { awsCredentials: ROLE_CREDENTIALS },
    });
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.error).toContain('may not read s3://ftw-e2e-artifacts/train.jsonl');
    expect(result.outputs.error).toContain('***');
    expectNoneOf(result, ROLE_SECRETS);
  });
});

describe('Amazon Bedrock: outcomes', () => {
  const credentials = configureAwsCredentials(SIM_AWS_CREDENTIALS);

  it('fails the step on a failed job, with failureMessage as the error', async () => {
    const scenario = bedrockFailed();
    const failureMessage = String(scenario.stages.at(-1)?.job?.failureMessage);
    expect(failureMessage).toMatch(/^Data validation failed/);
    const { result, events } = await bedrockStep(scenario, credentials);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'failed',
      'provider-status': 'Failed',
      error: failureMessage,
      model: '',
      metrics: '{}',
    });
    expect(events.every((event) => event.type === 'status')).toBe(true);
    expect(statusSequence(events)).toEqual(['InProgress', 'Failed']);
    expect(events.at(-1)?.level).toBe('error');
    expect(events.at(-1)?.message).toContain(failureMessage);
    expect(
      commandsNamed('error', result.stdout).some((line) =>
        line.startsWith('::error title=Amazon Bedrock job'),
      ),
    ).toBe(true);
    expect(result.summary).toContain('❌');
    expect(result.summary).toContain('Data validation failed');
  });

  it('passes a failed job with fail-on empty, its outputs still set', async () => {
    const { result } = await bedrockStep(bedrockFailed(), credentials, { inputs: { 'fail-on': '' } });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.error).toMatch(/^Data validation failed/);
  });

  it('reports a job stopped elsewhere as cancelled, with Stopping and Stopped as events', async () => {
    const { result, events } = await bedrockStep(cancelledJob('bedrock'), credentials);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'cancelled', 'provider-status': 'Stopped', model: '' });
    expect(statusSequence(events)).toEqual(['InProgress', 'Stopping', 'Stopped']);
  });

  it('checks once with wait: false', async () => {
    const { result, sim } = await bedrockStep(neverEnding('bedrock'), credentials, {
      inputs: { wait: 'false', 'poll-interval': '60' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'running', 'provider-status': 'InProgress' });
    expect(answered(sim.requests)).toEqual(['GET job 200']);
  });
});

describe('Amazon Bedrock: cancel-on-timeout', () => {
  const credentials = configureAwsCredentials(ROLE_CREDENTIALS);
  const simOptions = { awsCredentials: ROLE_CREDENTIALS };
  const TIMEOUT = { 'timeout-minutes': '0.005' };

  it('stops the job with a signed StopModelCustomizationJob call', async () => {
    const scenario = neverEnding('bedrock');
    const { result, sim } = await bedrockStep(scenario, credentials, {
      inputs: { ...TIMEOUT, 'cancel-on-timeout': 'true' },
      sim: simOptions,
    });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('timed_out');
    expect(sim.requests.filter((request) => request.route === 'cancel')).toEqual([
      expect.objectContaining({ method: 'POST', path: `${encodedPath(scenario.id)}/stop`, status: 200 }),
    ]);
    expect(sim.job(scenario.id).cancelCalls).toBe(1);
    expect(result.stdout).toContain('Asked Amazon Bedrock to cancel');
  });

  it('leaves the job alone without it', async () => {
    const scenario = neverEnding('bedrock');
    const { result, sim } = await bedrockStep(scenario, credentials, { inputs: TIMEOUT, sim: simOptions });
    expect(result.outputs.status).toBe('timed_out');
    expect(sim.count('cancel')).toBe(0);
    expect(sim.job(scenario.id).cancelCalls).toBe(0);
  });

  it('warns, naming bedrock:StopModelCustomizationJob, when the role may not stop jobs', async () => {
    const { result, sim } = await bedrockStep(neverEnding('bedrock'), credentials, {
      inputs: { ...TIMEOUT, 'cancel-on-timeout': 'true' },
      sim: { ...simOptions, awsDeny: STOP_ACTION },
    });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('timed_out');
    expect(answered(sim.requests.filter((request) => request.route === 'cancel'))).toEqual([
      'POST cancel 403',
    ]);
    expect(commandsNamed('warning', result.stdout).some((line) => line.includes(STOP_ACTION))).toBe(true);
  });
});

describe('Amazon Bedrock: the CLI bundle', () => {
  const args = (scenario: NamedScenario, sim: FakeProvider) => [
    '--provider',
    'bedrock',
    '--job-id',
    scenario.id,
    '--base-url',
    sim.origin,
    '--poll-interval',
    '0.02',
  ];

  it('watches a job with the credentials in the environment and prints the result', async () => {
    const scenario = completed();
    const sim = await simulator(scenario, { awsCredentials: ROLE_CREDENTIALS });
    const home = tempDir();
    const run = await runCliBundle(args(scenario, sim), {
      env: {
        HOME: home,
        TMPDIR: home,
        AWS_EC2_METADATA_DISABLED: 'true',
        ...configureAwsCredentials(ROLE_CREDENTIALS),
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Result: succeeded \(Completed\)/m);
    expect(run.stdout).toContain(MODEL_ARN);
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    for (const secret of ROLE_SECRETS) expect(run.stdout.includes(secret)).toBe(false);
  });

  it('without credentials, exits before any request, naming what to set', async () => {
    const scenario = completed();
    const sim = await simulator(scenario);
    const home = tempDir();
    const run = await runCliBundle(args(scenario, sim), {
      env: { HOME: home, TMPDIR: home, AWS_EC2_METADATA_DISABLED: 'true' },
    });
    expect(run.code).not.toBe(0);
    expect(sim.requests).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).toContain('AWS_ACCESS_KEY_ID');
  });
});
