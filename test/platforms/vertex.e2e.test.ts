/**
 * Google Vertex AI end to end: the bundled action (and the CLI bundle) as child processes against
 * the simulator, which is also the OAuth token endpoint. Credentials are what
 * google-github-actions/auth leaves for workload identity federation: an `external_account` file
 * in GOOGLE_APPLICATION_CREDENTIALS whose subject token the simulator exchanges for short-lived
 * access tokens, and refuses those once expired.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunActionResult, runAction } from '../../sim/runner.js';
import { cancelledJob, neverEnding, vertexFailed, vertexSucceeded } from '../../sim/scenarios.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../sim/server.js';
import type { Fault, NamedScenario, RequestRecord } from '../../sim/types.js';
import { writeVertexCredentials } from '../../sim/vertex-credentials.js';
import { runCliBundle } from '../support/cli.js';
import { type EventLine, readEvents } from '../support/events-file.js';
import { runnerCommands } from '../support/runner-commands.js';

/** The GitHub OIDC token a real run exchanges; the simulator takes only this one. */
const SUBJECT_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ0dy1lMmUifQ.ftw-e2e-github-oidc-claims.c2lnbmF0dXJlLWZ0dw';
/** Google's OAuth 2 access tokens (and the simulator's) start so. */
const ACCESS_TOKEN = /ya29\.[\w.-]+/;
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const GET_PERMISSION = 'aiplatform.tuningJobs.get';
const CANCEL_PERMISSION = 'aiplatform.tuningJobs.cancel';

type Env = Record<string, string | undefined>;
type BySim<T> = T | ((sim: FakeProvider, dir: string) => T);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** An empty directory of the test's own: a HOME without gcloud's files, or one for credentials. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-vertex-e2e-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function simulator(scenario: NamedScenario, options: Partial<FakeProviderOptions> = {}) {
  const sim = await startFakeProvider({
    provider: 'vertex',
    apiKey: '',
    jobs: { [scenario.id]: scenario },
    vertexSubjectToken: SUBJECT_TOKEN,
    ...options,
  });
  cleanups.push(() => sim.close());
  return sim;
}

/**
 * What google-github-actions/auth exports after workload identity federation: the credentials
 * file (under names gcloud reads too) and the project under every name tools read it from.
 */
function googleGithubActionsAuth(sim: FakeProvider, dir: string, project = 'ftw-e2e-project'): Env {
  const file = writeVertexCredentials(dir, sim, SUBJECT_TOKEN);
  return {
    GOOGLE_APPLICATION_CREDENTIALS: file,
    CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: file,
    GOOGLE_GHA_CREDS_PATH: file,
    CLOUDSDK_CORE_PROJECT: project,
    CLOUDSDK_PROJECT: project,
    GCLOUD_PROJECT: project,
    GCP_PROJECT: project,
    GOOGLE_CLOUD_PROJECT: project,
  };
}

interface Step {
  sim: FakeProvider;
  result: RunActionResult;
  events: EventLine[];
  /** Where the credentials (and the subject token file) were written. */
  dir: string;
}

/**
 * dist/index.js as a Vertex step runs: no `api-key`, `base-url` at the simulator unless the inputs
 * say otherwise, a HOME without gcloud's files, no metadata server to find (a test machine is no
 * GCE instance; the runner passes on only PATH and HOME), and the given variables — by default
 * those google-github-actions/auth exports.
 */
async function vertexStep(
  scenario: NamedScenario,
  options: {
    env?: BySim<Env>;
    inputs?: BySim<Record<string, string>>;
    sim?: Partial<FakeProviderOptions>;
    onStdout?: (chunk: string) => void;
  } = {},
): Promise<Step> {
  const sim = await simulator(scenario, options.sim);
  const dir = tempDir();
  const of = <T>(value: BySim<T>): T =>
    typeof value === 'function' ? (value as (sim: FakeProvider, dir: string) => T)(sim, dir) : value;
  const result = await runAction({
    inputs: {
      provider: 'vertex',
      'job-id': scenario.id,
      'base-url': sim.baseUrl,
      'poll-interval': '0.02',
      ...of(options.inputs ?? {}),
    },
    env: {
      HOME: tempDir(),
      METADATA_SERVER_DETECTION: 'none',
      ...of(options.env ?? googleGithubActionsAuth),
    },
    timeoutMs: 30_000,
    ...(options.onStdout ? { onStdout: options.onStdout } : {}),
  });
  cleanups.push(() => result.cleanup());
  return { sim, result, events: readEvents(result.outputs['events-file']), dir };
}

/** Each request as the simulator answered it; it answers 401 to a token it did not issue or that expired. */
function answered(requests: readonly RequestRecord[]): string[] {
  return requests.map((request) => `${request.method} ${request.route} ${request.status ?? 'none'}`);
}

/** One accepted read per stage of the job: what a run that watched it to the end makes. */
function everyStageRead(scenario: NamedScenario): string[] {
  return scenario.stages.map(() => 'GET job 200');
}

function commandsNamed(name: string, stdout: string): string[] {
  return runnerCommands(stdout)
    .filter((command) => command.name === name)
    .map((command) => command.line);
}

/** No access token nor the subject token anywhere a workflow or a reader of the run would see them. */
function expectNoTokens(result: RunActionResult): void {
  const eventsFile = result.outputs['events-file'];
  const places: Record<string, string> = {
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: Object.values(result.outputs).join('\n'),
    summary: result.summary,
    'events-file': eventsFile ? readFileSync(eventsFile, 'utf8') : '',
  };
  for (const [where, text] of Object.entries(places)) {
    expect(text, `${where} holds an access token`).not.toMatch(ACCESS_TOKEN);
    expect(text.includes(SUBJECT_TOKEN), `${where} holds the subject token`).toBe(false);
  }
}

/** The states a job went through, as its status events tell them (`JOB_STATE_FAILED: …` → JOB_STATE_FAILED). */
function stateSequence(events: readonly EventLine[]): string[] {
  const states = events.map((event) => event.message.split(':')[0] ?? '');
  return states.filter((state, i) => i === 0 || states[i - 1] !== state);
}

/** The messages of the event lines in the log (`2024-05-01 10:00:00Z  info     <message>`). */
function loggedEvents(stdout: string): string[] {
  return stdout.split('\n').flatMap((line) => {
    const match = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ {2}\w+ +(.*)$/.exec(line);
    return match ? [match[1] ?? ''] : [];
  });
}

/** A loopback port nothing listens on (one just closed), for a metadata server that is not there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Vertex AI: credentials from google-github-actions/auth', () => {
  it('exchanges the subject token once, sends the Bearer token and reports the tuned model', async () => {
    const scenario = vertexSucceeded();
    const { result, sim, events } = await vertexStep(scenario);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const tuned = scenario.stages.at(-1)?.job?.tunedModel as {
      model: string;
      checkpoints: { checkpointId: string; step: string; endpoint: string }[];
    };
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'provider-status': 'JOB_STATE_SUCCEEDED',
      model: tuned.model,
      'model-path': '',
      'job-id': scenario.id,
      error: '',
      metrics: '{}',
    });
    expect(tuned.model).toMatch(/^projects\/123456789012\/locations\/us-central1\/models\/\d+@1$/);
    // tunedModel.checkpoints, oldest first; int64 steps arrive as strings.
    expect(JSON.parse(result.outputs.checkpoints ?? '')).toEqual(
      tuned.checkpoints.map((checkpoint) => ({
        id: checkpoint.checkpointId,
        step: Number(checkpoint.step),
        model: checkpoint.endpoint,
        created_at: null,
      })),
    );

    // One token exchange (the token lives an hour), with the cloud-platform scope; every read
    // carried a token the simulator had issued.
    expect(sim.tokenRequests.map(({ grantType, scope }) => ({ grantType, scope }))).toEqual([
      { grantType: TOKEN_EXCHANGE, scope: CLOUD_PLATFORM },
    ]);
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    expect(new Set(sim.requests.map((request) => request.path))).toEqual(new Set([`/v1/${scenario.id}`]));

    // No events endpoint: each change of state the action saw is a status event.
    expect(result.outputs['events-count']).toBe(String(events.length));
    expect(events.every((event) => event.type === 'status' && event.level === 'info')).toBe(true);
    expect(stateSequence(events)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED']);
    // The succeeded job's updateTime: created 12:00:00.123456, done 5847.204117 s later.
    expect(Date.parse(events.at(-1)?.created_at ?? '')).toBe(Date.parse('2025-01-01T13:37:27.327Z'));
    // Each event once in the log, in the same order.
    expect(loggedEvents(result.stdout)).toEqual(events.map((event) => event.message));
    expect(result.stdout).toContain('JOB_STATE_RUNNING → JOB_STATE_SUCCEEDED');

    expect(result.summary).toContain('✅');
    expect(result.summary).toContain('models/7399201982025564160');
    expect(result.summary).toContain('endpoints/123456789000001');
    expectNoTokens(result);
  });

  it('needs no project variable: the job name holds the project', async () => {
    const scenario = vertexSucceeded();
    // Only the credentials file: a project lookup would go to Cloud Resource Manager and fail.
    const { result, sim } = await vertexStep(scenario, {
      env: (simulated, dir) => ({
        GOOGLE_APPLICATION_CREDENTIALS: writeVertexCredentials(dir, simulated, SUBJECT_TOKEN),
      }),
    });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
  });

  it('fetches new tokens as they expire during a long wait, with no request refused', async () => {
    const scenario = vertexSucceeded();
    const lifetimeSeconds = 2;
    const { result, sim } = await vertexStep(scenario, {
      sim: { vertexTokenLifetimeSeconds: lifetimeSeconds },
      inputs: { 'poll-interval': '0.7' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    // The wait outlasted a token: a token kept past its expiry would have been answered 401.
    const first = sim.requests[0]?.time ?? Number.NaN;
    const last = sim.requests.at(-1)?.time ?? Number.NaN;
    expect(last - first).toBeGreaterThan(lifetimeSeconds * 1000);
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    expect(sim.tokenRequests.length).toBeGreaterThan(1);
    expect(sim.tokenRequests.every((request) => request.grantType === TOKEN_EXCHANGE)).toBe(true);
    expect(result.stdout).not.toMatch(/retrying/i);
    expectNoTokens(result);
  });

  it('scrubs the access token from whatever Vertex echoes back', async () => {
    const scenario = vertexFailed();
    // The first read answers with a failed job whose message quotes the request's Bearer token.
    const echo = (res: ServerResponse, req: IncomingMessage) => {
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? 'none';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          name: scenario.id,
          state: 'JOB_STATE_FAILED',
          createTime: '2025-01-02T12:00:00.123456Z',
          updateTime: '2025-01-02T12:06:02.135956Z',
          error: { code: 7, message: `Caller with token ${token} may not read gs://ftw-e2e/train.jsonl` },
        }),
      );
    };
    const { result, sim } = await vertexStep(scenario, {
      sim: { fault: (request) => (request.route === 'job' ? { kind: 'write', write: echo } : undefined) },
    });
    expect(sim.tokenRequests).toHaveLength(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.error).toContain('may not read gs://ftw-e2e/train.jsonl');
    expect(result.outputs.error).toContain('***');
    expect(result.outputs.error).not.toContain('none');
    expectNoTokens(result);
  });
});

describe('Vertex AI: missing and refused credentials', () => {
  /** What a missing credential must produce: one message, before any request, promptly. */
  function expectStoppedBeforeAnyRequest(step: Step): string {
    const { result, sim } = step;
    expect(result.code).toBe(1);
    expect(sim.requests).toEqual([]);
    expect(result.timedOut).toBe(false);
    // Only tells a prompt failure from one that waited on a metadata server (it takes well under 1 s).
    expect(result.durationMs).toBeLessThan(10_000);
    const errors = commandsNamed('error', result.stdout);
    expect(errors).toHaveLength(1);
    expect(result.outputs.status).toBe('');
    expect(result.outputs.error).toContain('google-github-actions/auth');
    expect(result.stderr).toBe('');
    expectNoTokens(result);
    return errors[0] ?? '';
  }

  it('with no credentials and no metadata server, fails at once naming google-github-actions/auth', async () => {
    const step = await vertexStep(vertexSucceeded(), { env: {} });
    const error = expectStoppedBeforeAnyRequest(step);
    expect(error).toContain('google-github-actions/auth');
    expect(error).toContain('GOOGLE_APPLICATION_CREDENTIALS');
    expect(step.sim.tokenRequests).toEqual([]);
  });

  it('also when it has to look for a metadata server and finds none', async () => {
    // Detection on: the library pings the metadata host, here a loopback port nobody listens on.
    const step = await vertexStep(vertexSucceeded(), {
      env: { METADATA_SERVER_DETECTION: undefined, GCE_METADATA_HOST: `127.0.0.1:${await closedPort()}` },
    });
    const error = expectStoppedBeforeAnyRequest(step);
    expect(error).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });

  it('names the file when GOOGLE_APPLICATION_CREDENTIALS points at nothing', async () => {
    const step = await vertexStep(vertexSucceeded(), {
      env: (_, dir) => ({ GOOGLE_APPLICATION_CREDENTIALS: join(dir, 'gha-creds-missing.json') }),
    });
    const error = expectStoppedBeforeAnyRequest(step);
    expect(error).toContain(join(step.dir, 'gha-creds-missing.json'));
  });

  it('stops before any API request when the token endpoint refuses the subject token', async () => {
    const REFUSED = 'eyJhbGciOiJSUzI1NiJ9.another-repository-oidc-claims.c2ln';
    const step = await vertexStep(vertexSucceeded(), {
      env: (simulated, dir) => ({
        ...googleGithubActionsAuth(simulated, dir),
        GOOGLE_APPLICATION_CREDENTIALS: writeVertexCredentials(dir, simulated, REFUSED),
      }),
    });
    const error = expectStoppedBeforeAnyRequest(step);
    expect(error).toContain('invalid_grant');
    expect(step.sim.tokenRequests).toHaveLength(1);
    for (const text of [step.result.stdout, step.result.summary, ...Object.values(step.result.outputs)])
      expect(text.includes(REFUSED)).toBe(false);
  });

  it('ends at once on 403 PERMISSION_DENIED, naming the permission the identity lacks', async () => {
    const scenario = vertexSucceeded();
    const { result, sim } = await vertexStep(scenario, { sim: { vertexDeny: GET_PERMISSION } });
    expect(result.code).toBe(1);
    // A 403 is not retried.
    expect(answered(sim.requests)).toEqual(['GET job 403']);
    expect(commandsNamed('error', result.stdout)).toHaveLength(1);
    expect(result.outputs.error).toContain('PERMISSION_DENIED');
    expect(result.outputs.error).toContain(`needs ${GET_PERMISSION}`);
    expect(result.outputs.error).toContain('google-github-actions/auth');
    expect(result.outputs.error).toContain('123456789012');
    expectNoTokens(result);
  });

  const outages: [string, Fault][] = [
    ['503', { kind: 'status', status: 503, body: '{"error":"backend_error"}' }],
    ['429', { kind: 'status', status: 429, body: '{"error":"rate_limited"}' }],
    ['a dropped connection', { kind: 'reset' }],
  ];
  it.each(outages)(
    'waits out a token endpoint that meets the first exchange with %s: an outage, not “no credentials”',
    async (_, fault) => {
      const RETRY_LINE = 'the credentials could not be refreshed';
      let retried = false;
      const scenario = vertexSucceeded();
      const { result, sim } = await vertexStep(scenario, {
        // The token endpoint answers nothing but the outage until the action has logged a retry.
        sim: { tokenFault: () => (retried ? undefined : fault) },
        onStdout: (chunk) => {
          if (chunk.includes(RETRY_LINE)) retried = true;
        },
        inputs: { 'timeout-minutes': '0.4' },
      });
      expect(result.code).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      expect(result.stdout).toMatch(new RegExp(`${RETRY_LINE}: .+; retrying in `));
      expect(result.stdout).not.toContain('No usable Google credentials');
      // No read went out without a token.
      expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
      expectNoTokens(result);
    },
    40_000,
  );

  it('ends, without waiting out timeout-minutes, when a new token is refused mid-wait', async () => {
    const scenario = vertexSucceeded();
    let dir = '';
    let reads = 0;
    const step = await vertexStep(scenario, {
      // Tokens that need renewing before each read; after the second read the subject token
      // the file holds is one the token endpoint refuses (as an OIDC token left in a file expires).
      sim: {
        vertexTokenLifetimeSeconds: 2,
        fault: (request) => {
          if (request.route === 'job' && ++reads === 2)
            writeFileSync(join(dir, 'vertex-subject-token.jwt'), 'eyJ.expired-github-oidc.sig');
          return undefined;
        },
      },
      inputs: { 'timeout-minutes': '0.2' },
      env: (simulated, credentialsDir) => {
        dir = credentialsDir;
        return googleGithubActionsAuth(simulated, credentialsDir);
      },
    });
    const { result } = step;
    expect(result.code).toBe(1);
    expect(result.outputs.status).not.toBe('timed_out');
    expect(answered(step.sim.requests)).toEqual(['GET job 200', 'GET job 200']);
    expect(result.stdout).not.toMatch(/retrying/i);
    expect(commandsNamed('error', result.stdout)).toHaveLength(1);
    expect(result.outputs.error).toContain('google-github-actions/auth');
    expect(result.outputs.error).toContain('invalid_grant');
    expectNoTokens(result);
  });
});

describe('Vertex AI: outcomes', () => {
  it('fails the step on a failed job, with error.message as the error', async () => {
    const scenario = vertexFailed();
    const message = String((scenario.stages.at(-1)?.job?.error as { message: string }).message);
    expect(message).toMatch(/^Invalid dataset/);
    const { result, events } = await vertexStep(scenario);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'failed',
      'provider-status': 'JOB_STATE_FAILED',
      error: message,
      model: '',
      checkpoints: '[]',
    });
    expect(stateSequence(events)).toEqual(['JOB_STATE_PENDING', 'JOB_STATE_RUNNING', 'JOB_STATE_FAILED']);
    expect(events.at(-1)?.level).toBe('error');
    expect(events.at(-1)?.message).toContain(message);
    expect(
      commandsNamed('error', result.stdout).some((line) => line.startsWith('::error title=Vertex AI job')),
    ).toBe(true);
    expect(result.summary).toContain('❌');
    expect(result.summary).toContain('Invalid dataset');
    expectNoTokens(result);
  });

  it('reports a job cancelled elsewhere as cancelled, passing through JOB_STATE_CANCELLING', async () => {
    const { result, events } = await vertexStep(cancelledJob('vertex'));
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'cancelled',
      'provider-status': 'JOB_STATE_CANCELLED',
      model: '',
      error: '',
    });
    expect(stateSequence(events)).toEqual([
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_CANCELLING',
      'JOB_STATE_CANCELLED',
    ]);
  });

  it('takes base-url with a trailing slash', async () => {
    const scenario = vertexSucceeded();
    const { result, sim } = await vertexStep(scenario, {
      inputs: (simulated) => ({ 'base-url': `${simulated.baseUrl}/` }),
    });
    expect(result.code).toBe(0);
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
  });

  it('checks once with wait: false', async () => {
    const { result, sim } = await vertexStep(neverEnding('vertex'), {
      inputs: { wait: 'false', 'poll-interval': '60' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'running', 'provider-status': 'JOB_STATE_PENDING' });
    expect(answered(sim.requests)).toEqual(['GET job 200']);
  });
});

describe('Vertex AI: cancel-on-timeout', () => {
  const TIMEOUT = { 'timeout-minutes': '0.005' };

  it('cancels the job with POST …:cancel', async () => {
    const scenario = neverEnding('vertex');
    const { result, sim } = await vertexStep(scenario, {
      inputs: { ...TIMEOUT, 'cancel-on-timeout': 'true' },
    });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('timed_out');
    expect(sim.requests.filter((request) => request.route === 'cancel')).toEqual([
      expect.objectContaining({ method: 'POST', path: `/v1/${scenario.id}:cancel`, status: 200 }),
    ]);
    expect(sim.job(scenario.id).cancelCalls).toBe(1);
    expect(result.stdout).toContain('Asked Vertex AI to cancel');
    expectNoTokens(result);
  });

  it('leaves the job alone without it', async () => {
    const scenario = neverEnding('vertex');
    const { result, sim } = await vertexStep(scenario, { inputs: TIMEOUT });
    expect(result.outputs.status).toBe('timed_out');
    expect(sim.count('cancel')).toBe(0);
    expect(sim.job(scenario.id).cancelCalls).toBe(0);
  });

  it('warns, naming aiplatform.tuningJobs.cancel, when the identity may not cancel', async () => {
    const { result, sim } = await vertexStep(neverEnding('vertex'), {
      inputs: { ...TIMEOUT, 'cancel-on-timeout': 'true' },
      sim: { vertexDeny: CANCEL_PERMISSION },
    });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('timed_out');
    expect(answered(sim.requests.filter((request) => request.route === 'cancel'))).toEqual([
      'POST cancel 403',
    ]);
    expect(commandsNamed('warning', result.stdout).some((line) => line.includes(CANCEL_PERMISSION))).toBe(
      true,
    );
  });
});

describe('Vertex AI: the CLI bundle', () => {
  const args = (scenario: NamedScenario, sim: FakeProvider) => [
    '--provider',
    'vertex',
    '--job-id',
    scenario.id,
    '--base-url',
    sim.baseUrl,
    '--poll-interval',
    '0.02',
  ];

  it('watches a job with the credentials file and prints the result', async () => {
    const scenario = vertexSucceeded();
    const sim = await simulator(scenario);
    const home = tempDir();
    const run = await runCliBundle(args(scenario, sim), {
      env: {
        HOME: home,
        TMPDIR: home,
        METADATA_SERVER_DETECTION: 'none',
        GOOGLE_APPLICATION_CREDENTIALS: writeVertexCredentials(tempDir(), sim, SUBJECT_TOKEN),
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Result: succeeded \(JOB_STATE_SUCCEEDED\)/m);
    expect(run.stdout).toContain('models/7399201982025564160@1');
    expect(answered(sim.requests)).toEqual(everyStageRead(scenario));
    expect(run.stdout).not.toMatch(ACCESS_TOKEN);
    expect(run.stdout.includes(SUBJECT_TOKEN)).toBe(false);
  });

  it('without credentials, exits before any request, naming what to set', async () => {
    const scenario = vertexSucceeded();
    const sim = await simulator(scenario);
    const home = tempDir();
    const run = await runCliBundle(args(scenario, sim), {
      env: { HOME: home, TMPDIR: home, METADATA_SERVER_DETECTION: 'none' },
    });
    expect(run.code).not.toBe(0);
    expect(sim.requests).toEqual([]);
    expect(sim.tokenRequests).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).toContain('GOOGLE_APPLICATION_CREDENTIALS');
  });
});
