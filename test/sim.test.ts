/** The simulated provider itself, over real HTTP: shapes, paging, progression, cancel, faults, runner. */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { GoogleAuth } from 'google-auth-library';
import { afterEach, describe, expect, it } from 'vitest';
import { type AwsCredentials, SIM_AWS_CREDENTIALS } from '../sim/auth/sigv4.js';
import {
  azureTutorialCheckpoints,
  azureTutorialEvents,
  openaiCookbookMessages,
  togetherQuickstartMessages,
} from '../sim/fixtures.js';
import { inputEnvName, parseOutputFile, runAction } from '../sim/runner.js';
import {
  azureFailure,
  azureTutorial,
  bedrockCompleted,
  bedrockFailed,
  cancelledJob,
  fireworksCompleted,
  fireworksFailed,
  jobsOf,
  largeHistory,
  nebiusCookbook,
  neverEnding,
  openaiCookbook,
  scenarioByName,
  SCENARIO_NAMES,
  togetherLegacyUppercase,
  togetherQuickstart,
  vertexFailed,
  vertexSucceeded,
} from '../sim/scenarios.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../sim/server.js';
import type { NamedScenario, ProviderName } from '../sim/types.js';
import { writeVertexCredentials } from '../sim/vertex-credentials.js';

const KEY = 'sk-test-0123';
const auth = { authorization: `Bearer ${KEY}` };
let sims: FakeProvider[] = [];

async function start(scenario: NamedScenario, extra: Partial<FakeProviderOptions> = {}) {
  const sim = await startFakeProvider({
    provider: scenario.provider,
    apiKey: KEY,
    jobs: jobsOf(scenario),
    ...extra,
  });
  sims.push(sim);
  return sim;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are inspected field by field
type Json = any;

async function getJson(
  url: string,
  init: RequestInit = { headers: auth },
): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json() };
}

afterEach(async () => {
  await Promise.all(sims.map((sim) => sim.close()));
  sims = [];
});

describe('auth and not-found errors', () => {
  it('answers a wrong key with 401 echoing the key, per provider', async () => {
    const together = await start(togetherQuickstart());
    const wrong = { headers: { authorization: 'Bearer sk-wrong-999' } };
    const t = await getJson(`${together.baseUrl}/fine-tunes/${togetherQuickstart().id}`, wrong);
    expect(t.status).toBe(401);
    expect(t.body.error).toMatchObject({
      message: 'Incorrect API key provided: sk-wrong-999',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });

    const openai = await start(openaiCookbook());
    const o = await getJson(`${openai.baseUrl}/fine_tuning/jobs/${openaiCookbook().id}/events`, wrong);
    expect(o.status).toBe(401);
    expect(o.body.error.message).toContain('sk-wrong-999');

    const nebius = await start(nebiusCookbook());
    const n = await getJson(`${nebius.baseUrl}/fine_tuning/jobs/${nebiusCookbook().id}`, {
      headers: {},
    });
    expect(n).toEqual({ status: 401, body: { detail: 'Invalid API key' } });
    // A rejected read does not move the job on.
    expect(nebius.job(nebiusCookbook().id).jobGets).toBe(0);
  });

  it('answers an unknown job with each provider’s 404 body', async () => {
    const together = await start(togetherQuickstart());
    const t = await getJson(`${together.baseUrl}/fine-tunes/ft-nope`);
    expect(t).toEqual({
      status: 404,
      body: {
        error: {
          message: 'Fine-tune job not found',
          type: 'invalid_request_error',
          code: 'not_found',
        },
      },
    });
    const openai = await start(openaiCookbook());
    const o = await getJson(`${openai.baseUrl}/fine_tuning/jobs/ftjob-nope`);
    expect(o.status).toBe(404);
    expect(o.body.error).toEqual({
      message: "No such fine-tuning job: 'ftjob-nope'.",
      type: 'invalid_request_error',
      param: 'fine_tuning_job_id',
      code: null,
    });
    const nebius = await start(nebiusCookbook());
    expect(await getJson(`${nebius.baseUrl}/fine_tuning/jobs/ftjob-nope/events`)).toEqual({
      status: 404,
      body: { detail: 'Not Found' },
    });
    const unknown = await getJson(`${nebius.baseUrl}/fine-tunes/${nebiusCookbook().id}`);
    expect(unknown).toEqual({ status: 404, body: { error: { message: 'Unknown route' } } });
    expect(nebius.count('unknown')).toBe(1);
  });
});

describe('Together', () => {
  it('moves one stage per job GET, embeds every event, and keeps the real messages', async () => {
    const scenario = togetherQuickstart();
    const sim = await start(scenario);
    const statuses: string[] = [];
    const counts: number[] = [];
    for (let i = 0; i < scenario.stages.length + 1; i++) {
      const { body } = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}`);
      statuses.push(body.status);
      counts.push(body.events.length);
      // Reading events does not advance: only job reads do.
      const events = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}/events`);
      expect(events.body.data).toEqual(body.events);
    }
    expect(statuses.slice(0, 3)).toEqual(['pending', 'queued', 'running']);
    expect(statuses.at(-1)).toBe('completed');
    expect(statuses.at(-2)).toBe('completed'); // stays on the last stage
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(sim.count('job')).toBe(scenario.stages.length + 1);

    const { body } = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}`);
    expect(body.events.map((e: { message: string }) => e.message)).toEqual(togetherQuickstartMessages());
    const first = body.events[0];
    expect(first).toMatchObject({
      object: 'fine-tune-event',
      type: 'job_pending',
      level: 'info',
      hash: '',
    });
    expect(first).not.toHaveProperty('id');
    expect(first.created_at).toMatch(/^2025-04-03T03:17:21\.\d{3}Z$/);
    expect(body.events.at(-1).model_path).toBe(body.model_output_path);
    expect(body.model_output_name).toMatch(/^yourname\/Meta-Llama-3\.1-8B-Instruct-Reference-ft-/);
    expect(body.progress).toEqual({ estimate_available: false, seconds_remaining: 0 });

    const checkpoints = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}/checkpoints`);
    expect(checkpoints.body.data.map((c: { step: number }) => c.step)).toEqual([72, 48, 24]);
    const metrics = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}/metrics`);
    const train = metrics.body.metrics.filter((row: Record<string, number>) => 'train/loss' in row);
    expect(train).toHaveLength(72);
    expect(metrics.body.metrics.filter((row: Record<string, number>) => 'eval/loss' in row)).toHaveLength(3);
  });

  it('serves the 2023 shape as given: UPPERCASE types, empty level', async () => {
    const scenario = togetherLegacyUppercase();
    const sim = await start(scenario);
    const { body } = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}/events`);
    expect(body.data[0]).toMatchObject({
      created_at: '2023-11-07T19:04:30.579Z',
      level: '',
      type: 'JOB_PENDING',
      message: 'Fine tune request created',
      hash: '',
    });
  });

  it('cancels: cancel_requested at once, cancelled on the next job GET, then no more stages', async () => {
    const scenario = togetherQuickstart();
    const sim = await start(scenario);
    await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}`);
    const cancel = await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}/cancel`, {
      method: 'POST',
      headers: auth,
    });
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('cancel_requested');
    expect(cancel.body).not.toHaveProperty('events');
    expect((await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}`)).body.status).toBe('cancelled');
    expect((await getJson(`${sim.baseUrl}/fine-tunes/${scenario.id}`)).body.status).toBe('cancelled');
    const again = await fetch(`${sim.baseUrl}/fine-tunes/${scenario.id}/cancel`, {
      method: 'POST',
      headers: auth,
    });
    expect(again.status).toBe(400);
    expect(sim.job(scenario.id).cancelCalls).toBe(2);
    expect(sim.count('cancel')).toBe(2);
  });
});

describe('OpenAI and Nebius paging', () => {
  it('OpenAI: newest first, `after` walks back through every event exactly once', async () => {
    const scenario = openaiCookbook();
    const sim = await start(scenario, { advanceOn: 'manual' });
    while (sim.advance(scenario.id));
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/events`;

    // The default page is the real cookbook's last 20 events, newest first.
    const firstPage = await getJson(url);
    expect(firstPage.body.data.map((e: { message: string }) => e.message)).toEqual(
      [...openaiCookbookMessages()].reverse(),
    );
    expect(firstPage.body.has_more).toBe(true);

    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { body } = await getJson(`${url}?limit=7${after ? `&after=${after}` : ''}`);
      seen.push(...body.data.map((e: { id: string }) => e.id));
      if (!body.has_more) break;
      after = body.data.at(-1).id;
    }
    const total = sim.job(scenario.id).events.length;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen[0]).toBe(`ftevent-${total}`);
    expect(seen.at(-1)).toBe('ftevent-1');
    expect(await getJson(`${url}?after=ftevent-999`)).toMatchObject({
      body: { data: [], has_more: false },
    });

    const job = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`);
    expect(job.body).toMatchObject({
      object: 'fine_tuning.job',
      status: 'succeeded',
      fine_tuned_model: 'ft:gpt-3.5-turbo-0613:personal:recipe-ner:8PjmcwDH',
      error: null,
    });
    const metric = firstPage.body.data[2];
    expect(metric).toMatchObject({
      object: 'fine_tuning.job.event',
      type: 'metrics',
      level: 'info',
    });
    expect(metric.data).toMatchObject({
      step: 301,
      train_loss: 0,
      valid_loss: 1.76,
      total_steps: 303,
    });
    expect(Number.isInteger(metric.created_at)).toBe(true);

    const checkpoints = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/checkpoints?limit=2`);
    expect(checkpoints.body.data.map((c: { step_number: number }) => c.step_number)).toEqual([303, 202]);
    expect(checkpoints.body).toMatchObject({
      has_more: true,
      last_id: checkpoints.body.data[1].id,
    });
    const rest = await getJson(
      `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/checkpoints?after=${checkpoints.body.last_id}`,
    );
    expect(rest.body.data.map((c: { step_number: number }) => c.step_number)).toEqual([101]);
    expect(rest.body.has_more).toBe(false);
  });

  it('Nebius: oldest first, `after` walks forward; limits clamp', async () => {
    const scenario = largeHistory('nebius', 60);
    const sim = await start(scenario, { advanceOn: 'manual', maxLimit: 25 });
    while (sim.advance(scenario.id));
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/events`;
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { body } = await getJson(`${url}?limit=11${after ? `&after=${after}` : ''}`);
      seen.push(...body.data.map((e: { id: string }) => e.id));
      if (!body.has_more) break;
      after = body.data.at(-1).id;
    }
    expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => `ftevent-${i + 1}`));
    expect((await getJson(`${url}?limit=1000`)).body.data).toHaveLength(25);
    expect((await getJson(url)).body.data).toHaveLength(20);
    expect((await getJson(`${url}?limit=0`)).body.data).toHaveLength(1);
  });

  it('Nebius cookbook keeps the real timestamps and null fine_tuned_model', async () => {
    const scenario = nebiusCookbook();
    const sim = await start(scenario, { advanceOn: 'manual' });
    while (sim.advance(scenario.id));
    const events = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/events`);
    expect(events.body.data.map((e: { created_at: number }) => e.created_at)).toEqual([
      1765431035, 1765431063, 1765431065, 1765431268,
    ]);
    const job = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`);
    expect(job.body).toMatchObject({ status: 'succeeded', fine_tuned_model: null });
    const checkpoints = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/checkpoints`);
    expect(checkpoints.body.data[0].id).toBe('ftckpt_98a07a09-9fb7-4009-8e18-0f72beade81c');
  });

  it('OpenAI cancel: cancelled at once and stays so', async () => {
    const scenario = openaiCookbook();
    const sim = await start(scenario);
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;
    await getJson(url);
    await getJson(url);
    const cancel = await getJson(`${url}/cancel`, { method: 'POST', headers: auth });
    expect(cancel.body).toMatchObject({ object: 'fine_tuning.job', status: 'cancelled' });
    expect((await getJson(url)).body.status).toBe('cancelled');
    expect(sim.job(scenario.id).cancelCalls).toBe(1);
  });

  it('appendEvents and setStatus change what clients see', async () => {
    const scenario = largeHistory('openai', 5);
    const sim = await start(scenario, { advanceOn: 'manual' });
    sim.appendEvents(scenario.id, [{ message: 'hello', level: 'warn' }]);
    sim.setStatus(scenario.id, 'failed', { error: { code: 'x', message: 'boom', param: null } });
    const job = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`);
    expect(job.body).toMatchObject({ status: 'failed', error: { message: 'boom' } });
    const events = await getJson(`${sim.baseUrl}/fine_tuning/jobs/${scenario.id}/events`);
    expect(events.body.data[0]).toMatchObject({
      message: 'hello',
      level: 'warn',
      type: 'message',
      data: null,
    });
  });
});

describe('faults', () => {
  it('each fault kind is what a client observes', async () => {
    const scenario = openaiCookbook();
    const sim = await start(scenario, { advanceOn: 'manual' });
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;

    sim.setFault(() => ({ kind: 'status', status: 503, headers: { 'retry-after': '2' } }));
    const unavailable = await fetch(url, { headers: auth });
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBe('2');
    await unavailable.text();

    sim.setFault(() => ({ kind: 'reset' }));
    await expect(fetch(url, { headers: auth })).rejects.toThrow();

    sim.setFault(() => ({ kind: 'reset-mid-body' }));
    const cut = await fetch(url, { headers: auth });
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow();

    sim.setFault(() => ({ kind: 'truncate' }));
    const truncated = await fetch(url, { headers: auth });
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(text.startsWith('{"object":"fine_tuning.job"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();

    sim.setFault(() => ({
      kind: 'raw',
      status: 502,
      contentType: 'text/html',
      body: '<html>Bad gateway</html>',
    }));
    const raw = await fetch(url, { headers: auth });
    expect(raw.status).toBe(502);
    expect(raw.headers.get('content-type')).toBe('text/html');
    expect(await raw.text()).toBe('<html>Bad gateway</html>');

    sim.setFault((_req, n) => (n === sim.requests.length - 1 ? { kind: 'delay', ms: 150 } : undefined));
    const before = Date.now();
    const delayed = await getJson(url);
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
    expect(delayed.body.status).toBe('validating_files');

    expect(sim.requests.map((r) => r.status)).toEqual([503, undefined, 200, 200, 502, 200]);
  });

  it('faults see every request with its index; replaced replies do not advance the job', async () => {
    const scenario = togetherQuickstart();
    const seen: number[] = [];
    const sim = await start(scenario, {
      fault: (req, n) => {
        seen.push(n);
        return req.route === 'job' && n === 1 ? { kind: 'status', status: 500 } : undefined;
      },
    });
    const url = `${sim.baseUrl}/fine-tunes/${scenario.id}`;
    expect((await getJson(url)).body.status).toBe('pending');
    expect((await fetch(url, { headers: auth })).status).toBe(500);
    expect((await getJson(url)).body.status).toBe('queued');
    expect(seen).toEqual([0, 1, 2]);
  });

  it('close() is fast even with a delayed request in flight', async () => {
    const scenario = togetherQuickstart();
    const sim = await startFakeProvider({
      provider: 'together',
      apiKey: KEY,
      jobs: jobsOf(scenario),
      fault: () => ({ kind: 'delay', ms: 10_000 }),
    });
    const pending = fetch(`${sim.baseUrl}/fine-tunes/${scenario.id}`, { headers: auth }).catch(
      (e: unknown) => e,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const before = Date.now();
    await sim.close();
    // The delayed answer would hold it 10 s.
    expect(Date.now() - before).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('runner', () => {
  it('parses the GITHUB_OUTPUT file @actions/core writes', () => {
    const text = [
      'status<<ghadelimiter_1b2c',
      'succeeded',
      'ghadelimiter_1b2c',
      'error<<ghadelimiter_3d4e',
      'line one',
      '',
      'line three',
      'ghadelimiter_3d4e',
      'empty<<ghadelimiter_5f6a',
      'ghadelimiter_5f6a',
      'legacy=a=b',
      '',
    ].join('\n');
    expect(parseOutputFile(text)).toEqual({
      status: 'succeeded',
      error: 'line one\n\nline three',
      empty: '',
      legacy: 'a=b',
    });
    expect(() => parseOutputFile('x<<EOF\nvalue\n')).toThrow(/closing delimiter/);
    expect(inputEnvName('job-id')).toBe('INPUT_JOB-ID');
  });

  it('runs an entry file like the runner: INPUT_ variables, file commands, signals', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ftw-stub-'));
    const main = join(dir, 'index.mjs');
    await writeFile(
      main,
      `import { appendFileSync, readFileSync } from 'node:fs';
const out = (name, value) => appendFileSync(process.env.GITHUB_OUTPUT, name + '<<ghadelimiter_x\\n' + value + '\\nghadelimiter_x\\n');
out('job-id', process.env['INPUT_JOB-ID']);
out('poll', process.env['INPUT_POLL-INTERVAL']);
out('event', process.env.GITHUB_EVENT_NAME + ':' + JSON.parse(readFileSync(process.env.GITHUB_EVENT_PATH, 'utf8')).repository.full_name);
out('leak', String(process.env.SIM_TEST_SECRET));
appendFileSync(process.env.GITHUB_STEP_SUMMARY, '# hi\\n');
process.on('SIGINT', () => { out('signal', 'SIGINT'); process.exit(3); });
setTimeout(() => {}, 5000);
`,
    );
    process.env.SIM_TEST_SECRET = 'must-not-leak';
    try {
      const result = await runAction({
        main,
        actionYml: null,
        inputs: { 'job-id': 'ft-123', 'poll-interval': '0.5' },
        signal: { name: 'SIGINT', afterMs: 300 },
        timeoutMs: 4000,
      });
      expect(result.code).toBe(3);
      expect(result.timedOut).toBe(false);
      expect(result.outputs).toEqual({
        'job-id': 'ft-123',
        poll: '0.5',
        event: 'push:octo-org/fine-tune-demo',
        leak: 'undefined',
        signal: 'SIGINT',
      });
      expect(result.summary).toBe('# hi\n');
      expect(await readFile(result.summaryFile, 'utf8')).toBe('# hi\n');
      await result.cleanup();
    } finally {
      delete process.env.SIM_TEST_SECRET;
    }
  });
});

/** One job read per stage of `scenario`, and one more: the last two show its final stage. */
async function readEveryStage(url: string, init: RequestInit, scenario: NamedScenario): Promise<Json[]> {
  const bodies: Json[] = [];
  for (let i = 0; i <= scenario.stages.length; i++) {
    const { status, body } = await getJson(url, init);
    expect(status).toBe(200);
    bodies.push(body);
  }
  return bodies;
}

/** Every value in a body, nested ones included. */
function allValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(allValues);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(allValues);
  return [value];
}

describe('Azure OpenAI', () => {
  const azureKey = { headers: { 'api-key': KEY } };

  it('v1: the tutorial run on OpenAI routes with an api-key header, newest events first', async () => {
    const scenario = azureTutorial();
    const sim = await start(scenario);
    expect(sim.baseUrl).toBe(`${sim.origin}/openai/v1`);
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;
    const first = await fetch(url, azureKey);
    expect(first.headers.get('apim-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await first.json()).toMatchObject({
      id: 'ftjob-900fcfc7ea1d4360a9f0cb1697b4eaa6',
      object: 'fine_tuning.job',
      status: 'pending',
      model: 'gpt-4o-mini-2024-07-18',
      hyperparameters: { n_epochs: -1, batch_size: -1, learning_rate_multiplier: 1 },
      fine_tuned_model: null,
      result_files: null,
      integrations: null,
    });
    const bodies = await readEveryStage(url, azureKey, scenario);
    expect(new Set(bodies.map((b) => b.status))).toEqual(new Set(['running', 'succeeded']));
    expect(bodies.at(-1)).toMatchObject({
      status: 'succeeded',
      fine_tuned_model: 'gpt-4o-mini-2024-07-18.ft-900fcfc7ea1d4360a9f0cb1697b4eaa6',
      finished_at: 1715826339,
      estimated_finish: null,
    });
    // No api-version anywhere: v1 needs none.
    expect(sim.requests.every((r) => Object.keys(r.query).length === 0)).toBe(true);

    const events = await getJson(`${url}/events`, azureKey);
    expect(events.body.has_more).toBe(false);
    const messages = events.body.data.map((e: Json) => e.message);
    expect(messages).toHaveLength(16);
    expect(messages.slice(0, 4)).toEqual([
      'Training hours billed: 0.500',
      'Completed results file: file-175c81c590074388bdb49e8e0d91bac3',
      'Postprocessing started.',
      'Job succeeded.',
    ]);
    expect(messages.slice(-2)).toEqual(['Job started.', 'Job enqueued. Waiting for jobs ahead to complete.']);
    // The tutorial's own events keep their ids and times; the rest get ids of the same shape.
    const real = azureTutorialEvents();
    expect(events.body.data.slice(0, 10).map((e: Json) => [e.id, e.created_at])).toEqual(
      real.toReversed().map((e) => [e.id, e.created_at]),
    );
    expect(events.body.data.every((e: Json) => /^ftevent-[0-9a-f]{32}$/.test(e.id))).toBe(true);
    const metric = events.body.data[4];
    expect(Object.keys(metric.data).sort()).toEqual(
      [
        'step',
        'train_loss',
        'train_mean_token_accuracy',
        'valid_loss',
        'valid_mean_token_accuracy',
        'full_valid_loss',
        'full_valid_mean_token_accuracy',
      ].sort(),
    );
    expect(events.body.data[0]).not.toHaveProperty('data');
    const page = await getJson(`${url}/events?limit=5&after=${events.body.data[4].id}`, azureKey);
    expect(page.body.data.map((e: Json) => e.id)).toEqual(
      events.body.data.slice(5, 10).map((e: Json) => e.id),
    );

    const checkpoints = await getJson(`${url}/checkpoints`, azureKey);
    expect(checkpoints.body.data.map((c: Json) => [c.step_number, c.fine_tuned_model_checkpoint])).toEqual([
      [100, 'gpt-4o-mini-2024-07-18.ft-900fcfc7ea1d4360a9f0cb1697b4eaa6'],
      [90, 'gpt-4o-mini-2024-07-18.ft-900fcfc7ea1d4360a9f0cb1697b4eaa6:ckpt-step-90'],
      [80, 'gpt-4o-mini-2024-07-18.ft-900fcfc7ea1d4360a9f0cb1697b4eaa6:ckpt-step-80'],
    ]);
    expect(checkpoints.body.data[0].metrics).toEqual(azureTutorialCheckpoints()[2]?.metrics);
    expect(checkpoints.body.data[0]).toMatchObject({
      id: 'ftchkpt-148ab69f0a404cf9ab55a73d51b152de',
      object: 'fine_tuning.job.checkpoint',
      fine_tuning_job_id: scenario.id,
    });
  });

  it('refuses Bearer auth and wrong keys with Azure’s 401, and names unknown jobs', async () => {
    const scenario = azureTutorial();
    const sim = await start(scenario);
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;
    const denied = {
      status: 401,
      body: {
        error: {
          code: '401',
          message:
            'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
        },
      },
    };
    expect(await getJson(url, { headers: auth })).toEqual(denied);
    expect(await getJson(url, { headers: { 'api-key': 'wrong' } })).toEqual(denied);
    expect(await getJson(url, { headers: {} })).toEqual(denied);
    expect(sim.job(scenario.id).jobGets).toBe(0);
    expect(await getJson(`${sim.baseUrl}/fine_tuning/jobs/ftjob-nope`, azureKey)).toEqual({
      status: 404,
      body: {
        error: { code: 'NotFound', message: "The specified fine-tuning job 'ftjob-nope' was not found." },
      },
    });
  });

  it('dated: serves /openai and needs api-version on every request', async () => {
    const scenario = azureTutorial();
    const sim = await start(scenario, { azureApi: 'dated' });
    expect(sim.baseUrl).toBe(`${sim.origin}/openai`);
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;
    const missing = { status: 404, body: { error: { code: '404', message: 'Resource not found' } } };
    expect(await getJson(url, azureKey)).toEqual(missing);
    expect(await getJson(`${url}/events?limit=2`, azureKey)).toEqual(missing);
    expect(sim.job(scenario.id).jobGets).toBe(0);
    const ok = await getJson(`${url}?api-version=2024-10-21`, azureKey);
    expect(ok.body.status).toBe('pending');
    const events = await getJson(`${url}/events?api-version=2024-10-21&limit=2`, azureKey);
    expect(events.body.data).toHaveLength(1);
    expect(sim.requests.map((r) => r.query['api-version'])).toEqual([
      undefined,
      undefined,
      '2024-10-21',
      '2024-10-21',
    ]);
    // The v1 path does not exist on the dated API.
    const v1 = await getJson(
      `${sim.origin}/openai/v1/fine_tuning/jobs/${scenario.id}?api-version=2024-10-21`,
      azureKey,
    );
    expect(v1.status).toBe(404);
    expect(sim.count('unknown')).toBe(1);
  });

  it('cancels at once, refuses a second cancel, and fails with error {code, message, param}', async () => {
    const scenario = azureTutorial();
    const failure = azureFailure();
    const sim = await start(scenario);
    sim.addJob(failure.id, failure);
    const url = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;
    await getJson(url, azureKey);
    const cancel = await getJson(`${url}/cancel`, { method: 'POST', ...azureKey });
    expect(cancel.body).toMatchObject({ object: 'fine_tuning.job', status: 'cancelled' });
    expect(Number.isInteger(cancel.body.finished_at)).toBe(true);
    const again = await getJson(`${url}/cancel`, { method: 'POST', ...azureKey });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain("terminal state 'cancelled'");

    const failed = await readEveryStage(`${sim.baseUrl}/fine_tuning/jobs/${failure.id}`, azureKey, failure);
    expect(failed.at(-1)).toMatchObject({
      status: 'failed',
      error: {
        code: 'invalidTrainingFile',
        message: 'Training file validation failed: line 12 is not valid JSON.',
        param: 'training_file',
      },
    });
  });
});

describe('Fireworks', () => {
  it('moves through JOB_STATE_* with rising jobProgress, leaving unset fields out', async () => {
    const scenario = fireworksCompleted();
    const sim = await start(scenario);
    expect(sim.baseUrl).toBe(`${sim.origin}/v1`);
    expect(scenario.id).toMatch(/^accounts\/[a-z0-9-]+\/supervisedFineTuningJobs\/[a-z0-9]{8}$/);
    const url = `${sim.baseUrl}/${scenario.id}`;
    const bodies = await readEveryStage(url, { headers: auth }, scenario);
    expect([...new Set(bodies.map((b) => b.state))]).toEqual([
      'JOB_STATE_CREATING',
      'JOB_STATE_VALIDATING',
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_WRITING_RESULTS',
      'JOB_STATE_COMPLETED',
    ]);
    const percents = bodies.filter((b) => b.jobProgress).map((b) => b.jobProgress.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    for (const body of bodies) {
      expect(allValues(body)).not.toContain(null);
      expect(body.name).toBe(scenario.id);
      expect(body.createTime).toBe('2026-07-10T23:09:35Z');
    }
    const last = bodies.at(-1);
    expect(last).toMatchObject({
      state: 'JOB_STATE_COMPLETED',
      outputModel: 'accounts/ftw-sim/models/ftw-support-bot',
      jobProgress: { percent: 100, epoch: 2 },
    });
    expect(last.completedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(bodies.slice(0, -2).some((b) => 'completedTime' in b)).toBe(false);
    expect(Date.parse(last.updateTime)).toBeGreaterThan(Date.parse(bodies[0].updateTime));
    expect(sim.requests.every((r) => r.jobId === scenario.id && r.route === 'job')).toBe(true);
  });

  it('answers wrong keys, unknown jobs and the routes it lacks with its own errors', async () => {
    const scenario = fireworksCompleted();
    const sim = await start(scenario);
    expect(
      await getJson(`${sim.baseUrl}/${scenario.id}`, { headers: { authorization: 'Bearer fw-wrong' } }),
    ).toEqual({
      status: 401,
      body: { code: 16, message: 'unauthenticated: invalid API key', details: [] },
    });
    expect(await getJson(`${sim.baseUrl}/accounts/ftw-sim/supervisedFineTuningJobs/nope1234`)).toEqual({
      status: 404,
      body: { code: 5, message: 'supervised fine-tuning job not found', details: [] },
    });
    expect((await getJson(`${sim.baseUrl}/${scenario.id}/events`)).status).toBe(404);
    expect((await getJson(`${sim.baseUrl}/${scenario.id}:cancel`)).status).toBe(404); // GET is not the verb
    expect(sim.count('unknown')).toBe(2);
  });

  it('cancels through :cancel (or %3Acancel): {} then CANCELLING, CANCELLED; a finished job refuses', async () => {
    const scenario = fireworksCompleted();
    const failed = fireworksFailed();
    const sim = await start(scenario, { cancelPendingReads: 1 });
    sim.addJob(failed.id, failed);
    const url = `${sim.baseUrl}/${scenario.id}`;
    await getJson(url);
    const cancel = await getJson(`${url}%3Acancel`, { method: 'POST', headers: auth, body: '{}' });
    expect(cancel).toEqual({ status: 200, body: {} });
    expect(sim.requests.at(-1)).toMatchObject({ route: 'cancel', jobId: scenario.id });
    expect((await getJson(url)).body.state).toBe('JOB_STATE_CANCELLING');
    const cancelled = (await getJson(url)).body;
    expect(cancelled.state).toBe('JOB_STATE_CANCELLED');
    expect(cancelled).toHaveProperty('completedTime');
    expect(sim.job(scenario.id).terminal).toBe(true);
    const again = await getJson(`${url}:cancel`, { method: 'POST', headers: auth });
    expect(again).toEqual({
      status: 400,
      body: { code: 9, message: 'job is already in a terminal state: JOB_STATE_CANCELLED', details: [] },
    });
    expect(sim.count('cancel')).toBe(2);

    const end = await readEveryStage(`${sim.baseUrl}/${failed.id}`, { headers: auth }, failed);
    expect(end.at(-1)).toMatchObject({
      state: 'JOB_STATE_FAILED',
      status: { code: 'INVALID_ARGUMENT', message: expect.stringMatching(/^Dataset validation failed: /) },
    });
  });
});

/** A request signed as the AWS SDK signs it (the caller must set `host`; the signer does not). */
async function signedFetch(
  sim: FakeProvider,
  method: string,
  path: string,
  options: { credentials?: AwsCredentials; body?: string; signingDate?: Date; sendPath?: string } = {},
): Promise<{ status: number; errorType: string | null; body: Json }> {
  const signer = new SignatureV4({
    service: 'bedrock',
    region: 'us-east-1',
    sha256: Sha256,
    credentials: options.credentials ?? SIM_AWS_CREDENTIALS,
  });
  const signed = await signer.sign(
    {
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: sim.port,
      path,
      query: {},
      headers: { host: `127.0.0.1:${sim.port}`, accept: 'application/json' },
      ...(options.body === undefined ? {} : { body: options.body }),
    },
    options.signingDate ? { signingDate: options.signingDate } : {},
  );
  const res = await fetch(`${sim.origin}${options.sendPath ?? path}`, {
    method,
    headers: signed.headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { status: res.status, errorType: res.headers.get('x-amzn-errortype'), body: await res.json() };
}

const jobPath = (identifier: string) => `/model-customization-jobs/${encodeURIComponent(identifier)}`;

describe('Bedrock', () => {
  it('serves SigV4-signed reads by ARN (one encoded segment) or job name through the stages', async () => {
    const scenario = bedrockCompleted();
    const sim = await start(scenario);
    expect(sim.baseUrl).toBe(sim.origin);
    expect(scenario.id).toMatch(
      /^arn:aws:bedrock:us-east-1:123456789012:model-customization-job\/amazon\.titan-text-express-v1:0:8k\/[a-z0-9]{12}$/,
    );
    const bodies: Json[] = [];
    for (let i = 0; i < scenario.stages.length + 1; i++) {
      const identifier = i % 2 === 0 ? scenario.id : 'ftw-titan-20240501';
      const res = await signedFetch(sim, 'GET', jobPath(identifier));
      expect(res.status).toBe(200);
      bodies.push(res.body);
    }
    expect(sim.requests[0]?.path).toBe(
      '/model-customization-jobs/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Amodel-customization-job%2Famazon.titan-text-express-v1%3A0%3A8k%2Fp4k2xw9qz7mn',
    );
    expect(sim.requests.map((r) => r.jobId)).toContain('ftw-titan-20240501');
    expect(bodies.map((b) => b.status)).toEqual([
      'InProgress',
      'InProgress',
      'InProgress',
      'InProgress',
      'InProgress',
      'Completed',
      'Completed',
    ]);
    expect(bodies.slice(0, 3).map((b) => b.statusDetails.trainingDetails.status)).toEqual([
      'NotStarted',
      'NotStarted',
      'InProgress',
    ]);
    expect(bodies[1].statusDetails.dataProcessingDetails.status).toBe('InProgress');
    for (const body of bodies.slice(0, 5)) {
      expect(body).not.toHaveProperty('outputModelArn');
      expect(body).not.toHaveProperty('endTime');
    }
    const done = bodies.at(-1);
    expect(done).toMatchObject({
      jobArn: scenario.id,
      jobName: 'ftw-titan-20240501',
      outputModelArn: expect.stringMatching(/^arn:aws:bedrock:us-east-1:123456789012:custom-model\//),
      outputDataConfig: { s3Uri: expect.stringMatching(/^s3:\/\//) },
      trainingMetrics: { trainingLoss: 0.4312 },
      validationMetrics: [{ validationLoss: 0.5127 }],
      creationTime: '2024-05-01T10:00:00.123Z',
      hyperParameters: { epochCount: '2' },
    });
    expect(done.endTime).toBe(done.lastModifiedTime);
    expect(Date.parse(done.endTime)).toBeGreaterThan(Date.parse(done.creationTime));
  });

  it('refuses tampered, unknown, stale, unsigned and wrongly scoped requests as AWS does', async () => {
    const scenario = bedrockCompleted();
    const sim = await start(scenario);
    const path = jobPath(scenario.id);

    const tampered = await signedFetch(sim, 'GET', path, { sendPath: jobPath('ftw-other-job') });
    expect(tampered).toMatchObject({ status: 403, errorType: 'InvalidSignatureException' });
    expect(tampered.body.message).toMatch(
      /^The request signature we calculated does not match the signature you provided\. /,
    );
    const wrongSecret = await signedFetch(sim, 'GET', path, {
      credentials: { ...SIM_AWS_CREDENTIALS, secretAccessKey: 'not-the-secret' },
    });
    expect(wrongSecret.errorType).toBe('InvalidSignatureException');
    const unknownKey = await signedFetch(sim, 'GET', path, {
      credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' },
    });
    expect(unknownKey).toEqual({
      status: 403,
      errorType: 'UnrecognizedClientException',
      body: { message: 'The security token included in the request is invalid.' },
    });
    const stale = await signedFetch(sim, 'GET', path, { signingDate: new Date(Date.now() - 20 * 60_000) });
    expect(stale.errorType).toBe('InvalidSignatureException');
    expect(stale.body.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/);

    const unsigned = await fetch(`${sim.origin}${path}`);
    expect([unsigned.status, unsigned.headers.get('x-amzn-errortype')]).toEqual([
      403,
      'MissingAuthenticationTokenException',
    ]);
    const bearerKey = await fetch(`${sim.origin}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(bearerKey.headers.get('x-amzn-errortype')).toBe('UnrecognizedClientException');

    // An ARN sent without encoding spans several path segments: no such route.
    const raw = await signedFetch(sim, 'GET', `/model-customization-jobs/${scenario.id}`);
    expect(raw.status).toBe(404);
    expect(sim.job(scenario.id).jobGets).toBe(0);
  });

  it('checks the session token and the signed body', async () => {
    const scenario = bedrockCompleted();
    const credentials = { ...SIM_AWS_CREDENTIALS, sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN==' };
    const sim = await start(scenario, { awsCredentials: credentials });
    const path = jobPath(scenario.id);
    expect((await signedFetch(sim, 'GET', path, { credentials })).status).toBe(200);
    const noToken = await signedFetch(sim, 'GET', path);
    expect(noToken.errorType).toBe('UnrecognizedClientException');
    const otherToken = await signedFetch(sim, 'GET', path, {
      credentials: { ...credentials, sessionToken: 'other' },
    });
    expect(otherToken.errorType).toBe('UnrecognizedClientException');

    // A signed body that is not the body sent is a signature mismatch.
    const signer = new SignatureV4({ service: 'bedrock', region: 'us-east-1', sha256: Sha256, credentials });
    const stop = `${path}/stop`;
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      path: stop,
      query: {},
      headers: { host: `127.0.0.1:${sim.port}` },
      body: '{}',
    });
    const swapped = await fetch(`${sim.origin}${stop}`, {
      method: 'POST',
      headers: signed.headers,
      body: '{"x":1}',
    });
    expect(swapped.headers.get('x-amzn-errortype')).toBe('InvalidSignatureException');
    expect(sim.job(scenario.id).cancelCalls).toBe(0);
  });

  it('awsDeny refuses the named action only, naming the caller, action and job', async () => {
    const scenario = bedrockCompleted();
    const sim = await start(scenario, { awsDeny: 'bedrock:StopModelCustomizationJob' });
    expect((await signedFetch(sim, 'GET', jobPath('ftw-titan-20240501'))).status).toBe(200);
    const stop = await signedFetch(sim, 'POST', `${jobPath('ftw-titan-20240501')}/stop`);
    expect(stop).toEqual({
      status: 403,
      errorType: 'AccessDeniedException',
      body: {
        message: `User: arn:aws:sts::123456789012:assumed-role/github-actions/ci is not authorized to perform: bedrock:StopModelCustomizationJob on resource: ${scenario.id} because no identity-based policy allows the bedrock:StopModelCustomizationJob action`,
      },
    });
    expect(sim.job(scenario.id).cancelCalls).toBe(0);

    const all = await start(scenario, { awsDeny: 'bedrock:*' });
    const get = await signedFetch(all, 'GET', jobPath(scenario.id));
    expect(get.errorType).toBe('AccessDeniedException');
    expect(get.body.message).toContain(
      'perform: bedrock:GetModelCustomizationJob on resource: arn:aws:bedrock:',
    );
  });

  it('stops through Stopping to Stopped; a finished or unknown job is refused', async () => {
    const scenario = bedrockCompleted();
    const failed = bedrockFailed();
    const sim = await start(scenario);
    sim.addJob(failed.id, failed);
    const path = jobPath(scenario.id);
    await signedFetch(sim, 'GET', path);
    expect(await signedFetch(sim, 'POST', `${path}/stop`)).toEqual({
      status: 200,
      errorType: null,
      body: {},
    });
    expect(sim.job(scenario.id).status).toBe('Stopping');
    const stopped = (await signedFetch(sim, 'GET', path)).body;
    expect(stopped.status).toBe('Stopped');
    expect(stopped).toHaveProperty('endTime');
    const again = await signedFetch(sim, 'POST', `${path}/stop`);
    expect(again).toMatchObject({ status: 400, errorType: 'ValidationException' });

    expect(await signedFetch(sim, 'GET', jobPath('ftw-no-such-job'))).toEqual({
      status: 404,
      errorType: 'ResourceNotFoundException',
      body: { message: 'Could not find model customization job with identifier ftw-no-such-job.' },
    });
    await signedFetch(sim, 'GET', jobPath(failed.id));
    const end = await signedFetch(sim, 'GET', jobPath(failed.id));
    expect(end.body).toMatchObject({
      status: 'Failed',
      failureMessage: 'Data validation failed: training data line 12 is not valid JSON.',
    });
    expect(end.body).not.toHaveProperty('outputModelArn');
  });
});

/** A token from the fake's `/token`, exchanged as google-auth-library does for external_account files. */
async function exchangeToken(sim: FakeProvider, subjectToken = 'sim-oidc-token') {
  return getJson(`${sim.origin}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience:
        '//iam.googleapis.com/projects/123456789/locations/global/workloadIdentityPools/github/providers/github',
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: subjectToken,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    }),
  });
}

const UNAUTHENTICATED = {
  status: 401,
  body: {
    error: {
      code: 401,
      message:
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      status: 'UNAUTHENTICATED',
    },
  },
};

describe('Vertex AI', () => {
  it('issues tokens for the subject token (or a JWT assertion) and accepts them until they expire', async () => {
    const scenario = vertexSucceeded();
    const sim = await start(scenario, { vertexTokenLifetimeSeconds: 1 });
    const url = `${sim.baseUrl}/${scenario.id}`;
    const issued = await exchangeToken(sim);
    expect(issued).toEqual({
      status: 200,
      body: {
        access_token: 'ya29.sim-1',
        expires_in: 1,
        token_type: 'Bearer',
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      },
    });
    const bearerToken = { headers: { authorization: `Bearer ${issued.body.access_token}` } };
    expect((await getJson(url, bearerToken)).body.state).toBe('JOB_STATE_PENDING');

    const wrong = await exchangeToken(sim, 'someone-elses-token');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_grant');
    const jwt = await getJson(`${sim.origin}/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: 'e30.e30.c2ln',
      }),
    });
    expect(jwt.body.access_token).toBe('ya29.sim-2');
    expect(sim.tokenRequests.map(({ grantType, scope }) => ({ grantType, scope }))).toEqual([
      {
        grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
        scope: 'https://www.googleapis.com/auth/cloud-platform',
      },
      {
        grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
        scope: 'https://www.googleapis.com/auth/cloud-platform',
      },
      { grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', scope: undefined },
    ]);
    expect(sim.requests).toHaveLength(1); // token requests are kept apart

    expect(await getJson(url, { headers: {} })).toEqual(UNAUTHENTICATED);
    expect(await getJson(url, { headers: { authorization: 'Bearer ya29.made-up' } })).toEqual(
      UNAUTHENTICATED,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    expect(await getJson(url, bearerToken)).toEqual(UNAUTHENTICATED);
    expect(sim.job(scenario.id).jobGets).toBe(1);
  });

  it('google-auth-library gets its token through writeVertexCredentials', async () => {
    const scenario = vertexSucceeded();
    const sim = await start(scenario);
    const dir = await mkdtemp(join(tmpdir(), 'ftw-vertex-'));
    const file = writeVertexCredentials(dir, sim);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      type: 'external_account',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: `${sim.origin}/token`,
      credential_source: { file: join(dir, 'vertex-subject-token.jwt') },
    });
    const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    try {
      const client = await new GoogleAuth({
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
        projectId: '123456789012',
      }).getClient();
      const headers = await client.getRequestHeaders();
      const res = await fetch(`${sim.baseUrl}/${scenario.id}`, { headers });
      expect(res.status).toBe(200);
      expect(sim.tokenRequests).toHaveLength(1);
      expect(sim.tokenRequests[0]?.grantType).toBe('urn:ietf:params:oauth:grant-type:token-exchange');
    } finally {
      if (previous === undefined) delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
      else process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
    }
  });

  it('moves PENDING → RUNNING → SUCCEEDED; cancel; vertexDeny; unknown jobs', async () => {
    const scenario = vertexSucceeded();
    const failed = vertexFailed();
    const sim = await start(scenario);
    sim.addJob(failed.id, failed);
    const token = { headers: { authorization: `Bearer ${(await exchangeToken(sim)).body.access_token}` } };
    expect(scenario.id).toMatch(/^projects\/123456789012\/locations\/us-central1\/tuningJobs\/\d{19}$/);
    const bodies = await readEveryStage(`${sim.baseUrl}/${scenario.id}`, token, scenario);
    expect([...new Set(bodies.map((b) => b.state))]).toEqual([
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_SUCCEEDED',
    ]);
    expect(bodies[0]).not.toHaveProperty('startTime');
    const done = bodies.at(-1);
    expect(done.createTime).toBe('2025-01-01T12:00:00.123456Z');
    expect(done.endTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(done.tunedModel.model).toMatch(/^projects\/123456789012\/locations\/us-central1\/models\/\d+@1$/);
    expect(done.tunedModel.checkpoints).toHaveLength(3);
    expect(done).not.toHaveProperty('error');

    const failedEnd = await readEveryStage(`${sim.baseUrl}/${failed.id}`, token, failed);
    expect(failedEnd.at(-1).error).toEqual({
      code: 3,
      message: 'Invalid dataset: line 12 of gs://ftw-sim-bucket/train.jsonl could not be parsed.',
    });
    expect(failedEnd.at(-1)).not.toHaveProperty('tunedModel');

    const running = neverEnding('vertex');
    sim.addJob(running.id, running);
    const runningUrl = `${sim.baseUrl}/${running.id}`;
    await getJson(runningUrl, token);
    expect(await getJson(`${runningUrl}:cancel`, { method: 'POST', ...token, body: '{}' })).toEqual({
      status: 200,
      body: {},
    });
    const cancelled = (await getJson(runningUrl, token)).body;
    expect(cancelled).toMatchObject({
      state: 'JOB_STATE_CANCELLED',
      error: { code: 1, message: 'CANCELLED' },
    });
    const refused = await getJson(`${runningUrl}:cancel`, { method: 'POST', ...token });
    expect(refused.status).toBe(400);
    expect(refused.body.error.status).toBe('FAILED_PRECONDITION');

    expect(
      await getJson(`${sim.baseUrl}/projects/123456789012/locations/us-central1/tuningJobs/1`, token),
    ).toEqual({
      status: 404,
      body: { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } },
    });

    const denied = await start(scenario, { vertexDeny: 'aiplatform.tuningJobs.get' });
    const deniedToken = {
      headers: { authorization: `Bearer ${(await exchangeToken(denied)).body.access_token}` },
    };
    expect(await getJson(`${denied.baseUrl}/${scenario.id}`, deniedToken)).toEqual({
      status: 403,
      body: {
        error: {
          code: 403,
          message: `Permission 'aiplatform.tuningJobs.get' denied on resource '//aiplatform.googleapis.com/${scenario.id}' (or it may not exist).`,
          status: 'PERMISSION_DENIED',
        },
      },
    });
    expect(denied.job(scenario.id).jobGets).toBe(0);
  });
});

describe('scenarios on the new platforms', () => {
  const NEW_PROVIDERS: ProviderName[] = ['azure-openai', 'fireworks', 'bedrock', 'vertex'];
  const CANCELLED: Record<string, string> = {
    'azure-openai': 'cancelled',
    fireworks: 'JOB_STATE_CANCELLED',
    bedrock: 'Stopped',
    vertex: 'JOB_STATE_CANCELLED',
  };

  it.each(NEW_PROVIDERS)(
    '%s: every named scenario runs to its end; cancelled and never behave',
    async (provider) => {
      const sim = await startFakeProvider({ provider, apiKey: KEY, advanceOn: 'manual' });
      sims.push(sim);
      for (const name of SCENARIO_NAMES.filter((n) => n !== 'legacy')) {
        const scenario = scenarioByName(provider, name);
        expect(scenario.provider).toBe(provider);
        const job = sim.addJob(`${scenario.id}#${name}`, scenario);
        while (sim.advance(job.id));
        expect(job.terminal).toBe(name !== 'never');
      }
      expect(() => scenarioByName(provider, 'legacy')).toThrow(/no scenario 'legacy'/);
      const cancelled = sim.addJob('cancelled', cancelledJob(provider));
      while (sim.advance('cancelled'));
      expect(cancelled.status).toBe(CANCELLED[provider]);
      const never = neverEnding(provider);
      const endless = sim.addJob('never', never);
      while (sim.advance('never'));
      expect(endless.terminal).toBe(false);
      expect(endless.cancel()).toBe(true);
      expect(endless.terminal).toBe(provider === 'azure-openai');
    },
  );

  it('largeHistory: n events on Azure, n status updates where there are no events', () => {
    const azure = largeHistory('azure-openai', 40);
    expect(azure.stages.flatMap((s) => s.events ?? [])).toHaveLength(40);
    expect(azure.id).toMatch(/^ftjob-[0-9a-f]{32}$/);
    for (const provider of ['fireworks', 'bedrock', 'vertex'] as const) {
      const scenario = largeHistory(provider, 40);
      expect(scenario.stages).toHaveLength(40);
      expect(scenario.stages.flatMap((s) => s.events ?? [])).toHaveLength(0);
    }
    expect(largeHistory('fireworks', 3).id).toMatch(
      /^accounts\/[^/]+\/supervisedFineTuningJobs\/[a-z0-9]{8}$/,
    );
    expect(largeHistory('bedrock', 3).id).toMatch(
      /model-customization-job\/amazon\.titan-text-express-v1:0:8k\/[a-z0-9]{12}$/,
    );
  });

  it('faults, setStatus and the request record work the same on the new platforms', async () => {
    const scenario = bedrockCompleted();
    const sim = await start(scenario, {
      fault: (req, n) =>
        n === 1
          ? {
              kind: 'status',
              status: 429,
              headers: { 'x-amzn-errortype': 'ThrottlingException' },
              body: '{"message":"Rate exceeded"}',
            }
          : undefined,
    });
    const path = jobPath(scenario.id);
    expect((await signedFetch(sim, 'GET', path)).body.status).toBe('InProgress');
    expect(await signedFetch(sim, 'GET', path)).toEqual({
      status: 429,
      errorType: 'ThrottlingException',
      body: { message: 'Rate exceeded' },
    });
    // The replaced answer did not move the job on.
    expect(sim.job(scenario.id).stageIndex).toBe(0);
    while (sim.advance(scenario.id));
    sim.setStatus(scenario.id, 'Failed', { failureMessage: 'set by the test' });
    expect((await signedFetch(sim, 'GET', path)).body).toMatchObject({
      status: 'Failed',
      failureMessage: 'set by the test',
    });
    expect(sim.requests.map((r) => [r.route, r.status])).toEqual([
      ['job', 200],
      ['job', 429],
      ['job', 200],
    ]);
    expect(sim.count('job')).toBe(3);
  });

  it('final statuses are each platform’s own, in any case', async () => {
    const sim = await startFakeProvider({ provider: 'fireworks', apiKey: KEY });
    sims.push(sim);
    const job = sim.addJob('j', fireworksCompleted());
    for (const [status, terminal] of [
      ['job_state_completed', true],
      ['JOB_STATE_EXPIRED', true],
      ['JOB_STATE_PAUSED', false],
      ['succeeded', false],
    ] as const) {
      sim.setStatus('j', status);
      expect(job.terminal).toBe(terminal);
    }
  });
});

describe('sim CLI', () => {
  /** Starts `npm run sim` the way a workflow does and returns what it prints before serving. */
  async function cliLines(args: string[]): Promise<string[]> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'sim/cli.ts', ...args], { stdio: 'pipe' });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          if (chunk.includes('Ctrl-C stops it')) resolve();
        });
        child.once('exit', () => reject(new Error(`sim exited early: ${out}`)));
      });
    } finally {
      child.kill('SIGINT');
      await exited;
    }
    return out.trim().split('\n');
  }

  it('prints the credentials to export for Bedrock and Vertex', async () => {
    const [bedrock, vertex] = await Promise.all([
      cliLines(['--provider', 'bedrock', '--scenario', 'quickstart']),
      cliLines(['--provider', 'vertex', '--scenario', 'failure']),
    ]);
    expect(bedrock.map((line) => line.split('=')[0])).toEqual([
      'base-url',
      'job-id',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_REGION',
    ]);
    expect(bedrock).toContain(`AWS_ACCESS_KEY_ID=${SIM_AWS_CREDENTIALS.accessKeyId}`);
    expect(bedrock).toContain('AWS_REGION=us-east-1');
    expect(bedrock[0]).toMatch(/^base-url=http:\/\/127\.0\.0\.1:\d+$/);
    expect(vertex).toContain(`job-id=${vertexFailed().id}`);
    expect(vertex).toContain('GOOGLE_CLOUD_PROJECT=123456789012');
    expect(vertex.find((line) => line.startsWith('GOOGLE_APPLICATION_CREDENTIALS='))).toMatch(
      /vertex-credentials\.json$/,
    );
  });
});
