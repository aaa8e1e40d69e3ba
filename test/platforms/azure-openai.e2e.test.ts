/**
 * Azure OpenAI end to end: the bundled action (dist/index.js, and the CLI bundle) as a child
 * process against the simulator's Azure resource, on the v1 API (`…/openai/v1`) and the dated API
 * (`…/openai`, `api-version` on every request). The key travels in the `api-key` header and
 * never leaves: not in the log, the outputs, the summary or events-file.
 *
 * The tutorial's real values below (model name, event ids, step-100 metrics, checkpoint id) are
 * those of MicrosoftDocs/azure-ai-docs `articles/ai-services/openai/tutorials/fine-tune.md`, which
 * the simulator's `azureTutorial` scenario replays.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { azureFailure, azureTutorial, neverEnding } from '../../sim/scenarios.js';
import { type FakeProvider, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario } from '../../sim/types.js';
import { Output } from '../../src/constants.js';
import { type ActionOnSim, type ActionOnSimOptions, actionOnSim } from '../support/action-on-sim.js';
import { jsonLines, runCliBundle } from '../support/cli.js';
import { isChronological, visibleLog } from '../support/e2e.js';

const KEY = 'azk-3f8a2c9e5b7d41f0a6c2e8b4d1f7a9c3';
const WRONG_KEY = 'azk-0000wrong0000key0000000000000000';
const TUTORIAL_MODEL = 'gpt-4o-mini-2024-07-18.ft-900fcfc7ea1d4360a9f0cb1697b4eaa6';
/** The tutorial's last four events, oldest first (two share one second: the order is the list's). */
const TUTORIAL_CLOSING = [
  { id: 'ftevent-ea10a008f1a045e9914de98b6b47514b', message: 'Job succeeded.' },
  { id: 'ftevent-a30c44da4c304180b327c3be3a7a7e51', message: 'Postprocessing started.' },
  {
    id: 'ftevent-467bc5e766224e97b5561055dc4c39c0',
    message: 'Completed results file: file-175c81c590074388bdb49e8e0d91bac3',
  },
  { id: 'ftevent-179d02d6178f4a0486516ff8cbcdbfb6', message: 'Training hours billed: 0.500' },
];
/** The `data` of the tutorial's step-100 metrics event: the latest metrics the job reports. */
const TUTORIAL_STEP_100 = {
  step: 100,
  train_loss: 0.001647822093218565,
  train_mean_token_accuracy: 1,
  valid_loss: 1.5170825719833374,
  valid_mean_token_accuracy: 0.75,
  full_valid_loss: 1.7539110545870624,
  full_valid_mean_token_accuracy: 0.7215189873417721,
};
const FAILURE_MESSAGE = 'Training file validation failed: line 12 is not valid JSON.';
const DATED_VERSION = '2024-10-21';
const UNKNOWN_STATUS_WARNING = 'which fine-tune-watch does not know';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** Everything a run wrote where a reader could see it, the runner's own `::add-mask::` line aside. */
function everythingWritten(run: ActionOnSim, key: string): string {
  const eventsFile = run.result.outputs['events-file'];
  return [
    run.result.stdout
      .split('\n')
      .filter((line) => line !== `::add-mask::${key}`)
      .join('\n'),
    run.result.stderr,
    JSON.stringify(run.result.outputs),
    run.result.summary,
    eventsFile && existsSync(eventsFile) ? readFileSync(eventsFile, 'utf8') : '',
  ].join('\n');
}

function expectNoKey(run: ActionOnSim, key: string): void {
  expect(everythingWritten(run, key).includes(key), `the key ${key} leaked`).toBe(false);
}

/** The action on the simulated Azure resource (v1 API unless `sim.azureApi` says otherwise); the key never leaks. */
async function watch(scenario: NamedScenario, options: ActionOnSimOptions = {}): Promise<ActionOnSim> {
  const run = await actionOnSim(scenario, { apiKey: KEY, ...options });
  expectNoKey(run, KEY);
  return run;
}

const errorLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::error'));

interface SeenRequest {
  method: string;
  /** As sent: path and raw query. */
  url: string;
  headers: IncomingHttpHeaders;
}

/**
 * A pass-through in front of the simulator that remembers each request exactly as the action sent
 * it (raw query, every header), which the simulator's own record leaves out. It listens before the
 * simulator exists, so `base-url` can point at it; `forwardTo` is given the simulator once it runs.
 */
async function recordingFront(): Promise<{
  origin: string;
  seen: SeenRequest[];
  forwardTo: (sim: FakeProvider) => void;
}> {
  const seen: SeenRequest[] = [];
  let target: FakeProvider | undefined;
  const server: Server = createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    if (!target) {
      res.writeHead(502).end();
      return;
    }
    const upstream = request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    forwardTo: (sim) => {
      target = sim;
    },
  };
}

/** An Azure job that pauses and resumes, with a `warning`-level event (dated API) and a `warn` one (v1). */
function pausedAndResumed(): NamedScenario {
  return {
    id: 'ftjob-5e1f0c2b3a4d4e6f8a9b0c1d2e3f4a5b',
    provider: 'azure-openai',
    job: { created_at: 1715824115 },
    stages: [
      {
        status: 'pending',
        events: [{ at: 0, message: 'Job enqueued. Waiting for jobs ahead to complete.' }],
      },
      {
        status: 'running',
        events: [
          { message: 'Job started.' },
          { level: 'warning', message: 'Training file has 3 duplicate examples.' },
        ],
      },
      { status: 'pausing', events: [{ level: 'warn', message: 'Job pausing at user request.' }] },
      { status: 'paused' },
      { status: 'resuming' },
      { status: 'running', events: [{ message: 'Job resumed.' }] },
      {
        status: 'succeeded',
        events: [{ message: 'Job succeeded.' }],
        job: { fine_tuned_model: 'gpt-4o-mini-2024-07-18.ft-5e1f0c2b3a4d4e6f8a9b0c1d2e3f4a5b' },
      },
    ],
  };
}

/** A job that shows one status for ever. */
function stuckAt(status: string): NamedScenario {
  return {
    id: 'ftjob-7d6c5b4a39284f1e8d7c6b5a49382716',
    provider: 'azure-openai',
    job: { created_at: 1715824115 },
    stages: [{ status, events: [{ at: 0, message: 'Job enqueued. Waiting for jobs ahead to complete.' }] }],
  };
}

describe('Azure OpenAI, v1 API (`…/openai/v1`)', () => {
  it('waits for the tutorial job: each event once, oldest first; model, checkpoints and metrics', async () => {
    const scenario = azureTutorial();
    const { result, events, sim } = await watch(scenario);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'provider-status': 'succeeded',
      model: TUTORIAL_MODEL,
      'model-path': '',
      'job-id': 'ftjob-900fcfc7ea1d4360a9f0cb1697b4eaa6',
      error: '',
      'events-count': '16',
    });
    // The simulator's history is the truth: every event once, in the order it happened.
    const served = sim.job(scenario.id).events.map((event) => event.message);
    expect(served).toHaveLength(16);
    expect(events.map((event) => event.message)).toEqual(served);
    expect(events.slice(-4).map(({ id, message }) => ({ id, message }))).toEqual(TUTORIAL_CLOSING);
    expect(new Set(events.map((event) => event.id)).size).toBe(16);
    expect(isChronological(events)).toBe(true);
    expect(events.filter((event) => event.type === 'metrics')).toHaveLength(10);

    const log = visibleLog(result.stdout);
    for (const message of served) {
      expect(
        log.filter((line) => line.endsWith(`  ${message}`)),
        message,
      ).toHaveLength(1);
    }
    expect(log).toContain('Status: pending → running');
    expect(log).toContain('Status: running → succeeded');
    expect(result.stdout).not.toContain(UNKNOWN_STATUS_WARNING);

    const checkpoints = JSON.parse(result.outputs.checkpoints ?? '') as Record<string, unknown>[];
    expect(checkpoints.map((checkpoint) => [checkpoint.step, checkpoint.model])).toEqual([
      [80, `${TUTORIAL_MODEL}:ckpt-step-80`],
      [90, `${TUTORIAL_MODEL}:ckpt-step-90`],
      // The last checkpoint is the fine-tuned model itself.
      [100, TUTORIAL_MODEL],
    ]);
    expect(checkpoints[1]?.id).toBe('ftchkpt-e559c011ecc04fc68eaa339d8227d02d');
    for (const checkpoint of checkpoints) {
      expect(Object.keys(checkpoint).sort()).toEqual(['created_at', 'id', 'model', 'step']);
      expect(checkpoint.created_at).toMatch(/^2024-05-16T02:1\d:\d\d\.000Z$/);
    }
    expect(JSON.parse(result.outputs.metrics ?? '')).toEqual(TUTORIAL_STEP_100);

    expect(result.summary).toContain(TUTORIAL_MODEL);
    expect(result.summary).toContain('xychart-beta');
    // v1 needs no version: no request names one, and every path is under the v1 root.
    expect(sim.requests.length).toBeGreaterThan(0);
    for (const { path, query } of sim.requests) {
      expect(path.startsWith(`/openai/v1/fine_tuning/jobs/${scenario.id}`), path).toBe(true);
      expect(query['api-version']).toBeUndefined();
    }
  });

  it('sends the key in the `api-key` header and never as a Bearer token', async () => {
    const front = await recordingFront();
    const scenario = azureFailure();
    const run = await watch(scenario, {
      // A trailing slash on base-url is tolerated.
      inputs: { 'base-url': `${front.origin}/openai/v1/` },
      onSim: front.forwardTo,
    });
    expect(run.result.outputs.status).toBe('failed');
    expect(front.seen.length).toBe(run.sim.requests.length);
    expect(front.seen.length).toBeGreaterThanOrEqual(3);
    for (const { url, headers } of front.seen) {
      expect(url.startsWith(`/openai/v1/fine_tuning/jobs/${scenario.id}`), url).toBe(true);
      expect(headers['api-key']).toBe(KEY);
      expect(headers.authorization).toBeUndefined();
      const carrying = Object.entries(headers).filter(([, value]) => String(value).includes(KEY));
      expect(carrying.map(([name]) => name)).toEqual(['api-key']);
    }
  });

  it('reads the key from AZURE_OPENAI_API_KEY when the input is empty, and masks it', async () => {
    const run = await watch(azureFailure(), {
      inputs: { 'api-key': '' },
      run: { env: { AZURE_OPENAI_API_KEY: KEY } },
    });
    expect(run.result.outputs.status).toBe('failed');
    expect(run.result.outputs.error).toBe(FAILURE_MESSAGE);
    expect(run.sim.requests.every((request) => request.status === 200)).toBe(true);
    expect(run.result.stdout.split('\n')[0]).toBe(`::add-mask::${KEY}`);
  });

  it('without `base-url`: one error naming it, before any request, every output set', async () => {
    const run = await watch(azureTutorial(), { inputs: { 'base-url': '' } });
    const { result } = run;
    expect(run.sim.requests).toHaveLength(0);
    expect(result.code).toBe(1);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Input `base-url` is required for azure-openai: /);
    expect(errors[0]).toContain('/openai/v1');
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
    expect(result.outputs.status).toBe('');
    expect(result.outputs.error).toContain('`base-url`');
  });

  it('without a key: one error naming the input and AZURE_OPENAI_API_KEY, before any request', async () => {
    const run = await actionOnSim(azureTutorial(), { apiKey: KEY, inputs: { 'api-key': '' } });
    expect(run.sim.requests).toHaveLength(0);
    expect(run.result.code).toBe(1);
    const errors = errorLines(run.result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('`api-key`');
    expect(errors[0]).toContain('AZURE_OPENAI_API_KEY');
    expect(run.result.outputs.status).toBe('');
  });

  it('a wrong key: the 401 ends the step at once with a message about the key, `status` empty', async () => {
    const run = await actionOnSim(azureTutorial(), { apiKey: KEY, inputs: { 'api-key': WRONG_KEY } });
    const { result, sim } = run;
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.status).toBe(401);
    expect(result.code).toBe(1);
    expect(result.durationMs).toBeLessThan(15_000);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Azure OpenAI rejected the API key \(/);
    expect(errors[0]).toContain('HTTP 401 Access denied due to invalid subscription key');
    expect(errors[0]).toContain('`api-key`');
    expect(errors[0]).toContain('AZURE_OPENAI_API_KEY');
    expect(result.stdout).not.toMatch(/retrying in/);
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
    expect(result.outputs.status).toBe('');
    expect(result.outputs.error).toBe(errors[0]?.replace('::error::', ''));
    expectNoKey(run, WRONG_KEY);
  });

  it('a 403 (no access to the resource) ends the step at once, like a refused key', async () => {
    const denied =
      'The principal lacks the required data action Microsoft.CognitiveServices/accounts/OpenAI/fine-tunes/read.';
    const { result, sim } = await watch(azureTutorial(), {
      sim: {
        fault: () => ({
          kind: 'status',
          status: 403,
          body: JSON.stringify({ error: { code: 'PermissionDenied', message: denied } }),
        }),
      },
    });
    expect(sim.requests).toHaveLength(1);
    expect(result.code).toBe(1);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Azure OpenAI rejected the API key \(/);
    expect(errors[0]).toContain(denied);
    expect(errors[0]).toContain('AZURE_OPENAI_API_KEY');
    expect(result.outputs.status).toBe('');
  });

  it('an unknown job: the 404 names the job, the platform and base-url', async () => {
    const missing = 'ftjob-ffffffffffffffffffffffffffffffff';
    const run = await watch(azureTutorial(), { inputs: { 'job-id': missing } });
    const { result, sim } = run;
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.status).toBe(404);
    expect(result.code).toBe(1);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Job ${missing} was not found on Azure OpenAI at ${sim.baseUrl}`);
    expect(errors[0]).toContain('`base-url`');
    expect(result.outputs.status).toBe('');
    expect(result.outputs['job-id']).toBe(missing);
  });

  it('pages newest-first events backwards with `after`, printing each once, oldest first', async () => {
    const scenario = azureTutorial();
    // Two events a page, and each page repeats the previous page's last event.
    const { result, events, sim } = await watch(scenario, { sim: { maxLimit: 2, overlapPages: true } });
    expect(result.code).toBe(0);
    const afters = sim.requests.filter((request) => request.route === 'events' && request.query.after);
    expect(afters.length).toBeGreaterThan(0);
    // Each cursor is an event id the simulator served.
    for (const { query } of afters) expect(query.after).toMatch(/^ftevent-[0-9a-f]{32}$/);
    expect(events.map((event) => event.message)).toEqual(sim.job(scenario.id).events.map((e) => e.message));
    expect(events.slice(-4).map((event) => event.id)).toEqual(TUTORIAL_CLOSING.map((event) => event.id));
    expect(result.outputs['events-count']).toBe('16');
    const log = visibleLog(result.stdout);
    for (const { message } of TUTORIAL_CLOSING) {
      expect(
        log.filter((line) => line.endsWith(`  ${message}`)),
        message,
      ).toHaveLength(1);
    }
  });

  it('fails on a failed job with `error` = error.message, and only warns when fail-on allows it', async () => {
    const scenario = azureFailure();
    const failed = await watch(scenario);
    expect(failed.result.code).toBe(1);
    expect(failed.result.outputs).toMatchObject({
      status: 'failed',
      'provider-status': 'failed',
      model: '',
      error: FAILURE_MESSAGE,
      checkpoints: '[]',
      metrics: '{}',
      'events-count': '2',
    });
    expect(failed.events.at(-1)).toMatchObject({ level: 'error', message: FAILURE_MESSAGE });
    expect(failed.result.stdout).toContain(
      `::error title=Azure OpenAI job ${scenario.id}::${FAILURE_MESSAGE}`,
    );
    expect(failed.result.summary).toContain('❌');

    const tolerated = await watch(azureFailure(), { inputs: { 'fail-on': '' } });
    expect(tolerated.result.code).toBe(0);
    expect(tolerated.result.outputs).toMatchObject({ status: 'failed', error: FAILURE_MESSAGE });
  });

  it.each([true, false])(
    'on timeout, cancels the job only when asked (cancel-on-timeout: %s)',
    async (cancel) => {
      const scenario = neverEnding('azure-openai');
      const { result, sim } = await watch(scenario, {
        inputs: { 'timeout-minutes': '0.005', 'cancel-on-timeout': String(cancel) },
      });
      expect(result.code).toBe(1);
      expect(result.outputs.status).toBe('timed_out');
      expect(result.outputs.model).toBe('');
      const cancels = sim.requests.filter((request) => request.route === 'cancel');
      expect(cancels.map(({ method, path }) => `${method} ${path}`)).toEqual(
        cancel ? [`POST /openai/v1/fine_tuning/jobs/${scenario.id}/cancel`] : [],
      );
      expect(sim.job(scenario.id).cancelCalls).toBe(cancel ? 1 : 0);
      expect(result.stdout.includes(`Asked Azure OpenAI to cancel job ${scenario.id}`)).toBe(cancel);
    },
  );

  it('counts `pausing`, `paused` and `resuming` as running, and `warning`/`warn` events as warnings', async () => {
    const scenario = pausedAndResumed();
    const { result, events, sim } = await watch(scenario);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      model: 'gpt-4o-mini-2024-07-18.ft-5e1f0c2b3a4d4e6f8a9b0c1d2e3f4a5b',
      'events-count': '6',
    });
    // The wait went on through every stage: one read of the job each, none after the last.
    expect(sim.count('job')).toBe(scenario.stages.length);
    const log = visibleLog(result.stdout);
    for (const change of ['running → pausing', 'pausing → paused', 'paused → resuming', 'resuming → running'])
      expect(log).toContain(`Status: ${change}`);
    expect(result.stdout).not.toContain(UNKNOWN_STATUS_WARNING);
    const warnings = result.stdout.split('\n').filter((line) => line.startsWith('::warning'));
    expect(warnings).toEqual([
      `::warning title=Azure OpenAI job ${scenario.id}::Training file has 3 duplicate examples.`,
      `::warning title=Azure OpenAI job ${scenario.id}::Job pausing at user request.`,
    ]);
    expect(events.filter((event) => event.level === 'warning').map((event) => event.message)).toEqual([
      'Training file has 3 duplicate examples.',
      'Job pausing at user request.',
    ]);
  });

  it.each([
    ['pausing', false],
    ['paused', false],
    ['resuming', false],
    ['created', false],
    ['pending', false],
    // The control: a status no table knows is running too, but with a warning.
    ['hibernating', true],
  ])('with wait: false, status %s is `running` (unknown-status warning: %s)', async (status, warned) => {
    const { result, sim } = await watch(stuckAt(status), {
      inputs: { wait: 'false', 'poll-interval': '60' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({ status: 'running', 'provider-status': status });
    expect(sim.count('job')).toBe(1);
    expect(result.stdout.includes(UNKNOWN_STATUS_WARNING)).toBe(warned);
  });

  it('scrubs the key from an error body that echoes it, and retries the 500', async () => {
    const scenario = azureFailure();
    const echo = `upstream rejected api-key ${KEY}`;
    const run = await watch(scenario, {
      sim: {
        fault: (_request, n) =>
          n === 1
            ? { kind: 'status', status: 500, body: JSON.stringify({ error: { code: '500', message: echo } }) }
            : undefined,
      },
    });
    expect(run.sim.requests[1]?.status).toBe(500);
    expect(run.result.code).toBe(1);
    expect(run.result.outputs).toMatchObject({ status: 'failed', error: FAILURE_MESSAGE });
    // The echo was read and shown, masked.
    expect(run.result.stdout).toContain('upstream rejected api-key ***');
  });
});

describe('Azure OpenAI, dated API (`…/openai` + `api-version`)', () => {
  it(`sends api-version=${DATED_VERSION} with every request, pages included`, async () => {
    const scenario = azureTutorial();
    const { result, events, sim } = await watch(scenario, { sim: { azureApi: 'dated', maxLimit: 2 } });
    expect(sim.baseUrl).toMatch(/\/openai$/);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      model: TUTORIAL_MODEL,
      'events-count': '16',
    });
    expect(JSON.parse(result.outputs.metrics ?? '')).toEqual(TUTORIAL_STEP_100);
    expect(JSON.parse(result.outputs.checkpoints ?? '')).toHaveLength(3);
    expect(events.slice(-4).map((event) => event.message)).toEqual(TUTORIAL_CLOSING.map((e) => e.message));
    const routes = new Set(sim.requests.map((request) => request.route));
    expect([...routes].sort()).toEqual(['checkpoints', 'events', 'job']);
    expect(sim.requests.some((request) => request.query.after !== undefined)).toBe(true);
    for (const { path, query, status } of sim.requests) {
      expect(path.startsWith(`/openai/fine_tuning/jobs/${scenario.id}`), path).toBe(true);
      expect(query['api-version'], path).toBe(DATED_VERSION);
      expect(status).toBe(200);
    }
  });

  it('uses the api-version base-url names instead, once per request', async () => {
    const front = await recordingFront();
    const scenario = azureTutorial();
    const { result, sim } = await watch(scenario, {
      sim: { azureApi: 'dated' },
      inputs: { 'base-url': `${front.origin}/openai?api-version=2025-04-01-preview` },
      onSim: front.forwardTo,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.model).toBe(TUTORIAL_MODEL);
    expect(sim.requests.length).toBeGreaterThan(0);
    for (const { query } of sim.requests) expect(query['api-version']).toBe('2025-04-01-preview');
    expect(front.seen).toHaveLength(sim.requests.length);
    for (const { url, headers } of front.seen) {
      expect(url.match(/api-version=/g), url).toHaveLength(1);
      expect(headers['api-key']).toBe(KEY);
    }
  });

  it('cancels on timeout with the version on the cancel request too', async () => {
    const scenario = neverEnding('azure-openai');
    const { result, sim } = await watch(scenario, {
      sim: { azureApi: 'dated' },
      inputs: { 'timeout-minutes': '0.005', 'cancel-on-timeout': 'true' },
    });
    expect(result.outputs.status).toBe('timed_out');
    const cancels = sim.requests.filter((request) => request.route === 'cancel');
    expect(cancels).toHaveLength(1);
    expect(cancels[0]).toMatchObject({
      method: 'POST',
      path: `/openai/fine_tuning/jobs/${scenario.id}/cancel`,
      query: { 'api-version': DATED_VERSION },
      status: 200,
    });
  });
});

describe('Azure OpenAI through the CLI bundle', () => {
  async function simOf(scenario: NamedScenario): Promise<FakeProvider> {
    const sim = await startFakeProvider({
      provider: 'azure-openai',
      apiKey: KEY,
      jobs: { [scenario.id]: scenario },
    });
    cleanups.push(() => sim.close());
    return sim;
  }

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ftw-azure-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  const args = (scenario: NamedScenario, baseUrl: string) => [
    '--json',
    '--provider',
    'azure-openai',
    '--job-id',
    scenario.id,
    '--base-url',
    baseUrl,
    '--poll-interval',
    '0.02',
  ];

  it('watches the tutorial job with the key from AZURE_OPENAI_API_KEY (exit 0)', async () => {
    const scenario = azureTutorial();
    const sim = await simOf(scenario);
    const run = await runCliBundle(args(scenario, sim.baseUrl), {
      env: { AZURE_OPENAI_API_KEY: KEY, TMPDIR: tempDir() },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = jsonLines(run.stdout);
    const result = records.at(-1) as { kind: string; exit_code: number; outputs: Record<string, string> };
    expect(result).toMatchObject({ kind: 'result', exit_code: 0 });
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      model: TUTORIAL_MODEL,
      'events-count': '16',
    });
    const messages = records.filter((record) => record.kind === 'event').map((record) => record.message);
    expect(messages).toEqual(sim.job(scenario.id).events.map((event) => event.message));
    expect(run.stdout).not.toContain(KEY);
  });

  it('exits 4 on a refused key and 2 without --base-url, naming what to fix', async () => {
    const scenario = azureTutorial();
    const sim = await simOf(scenario);
    const refused = await runCliBundle(args(scenario, sim.baseUrl), {
      env: { AZURE_OPENAI_API_KEY: WRONG_KEY, TMPDIR: tempDir() },
    });
    expect(refused.code).toBe(4);
    expect(refused.stdout + refused.stderr).toContain('Azure OpenAI rejected the API key');
    expect(refused.stdout + refused.stderr).not.toContain(WRONG_KEY);

    const requestsBefore = sim.requests.length;
    const noBaseUrl = await runCliBundle(['--provider', 'azure-openai', '--job-id', scenario.id], {
      env: { AZURE_OPENAI_API_KEY: KEY, TMPDIR: tempDir() },
    });
    expect(noBaseUrl.code).toBe(2);
    expect(noBaseUrl.stderr).toContain('--base-url is required for azure-openai');
    expect(sim.requests.length).toBe(requestsBefore);
  });
});
