/** The simulated provider itself, over real HTTP: shapes, paging, progression, cancel, faults, runner. */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openaiCookbookMessages, togetherQuickstartMessages } from '../sim/fixtures.js';
import { inputEnvName, parseOutputFile, runAction } from '../sim/runner.js';
import {
  jobsOf,
  largeHistory,
  nebiusCookbook,
  openaiCookbook,
  togetherLegacyUppercase,
  togetherQuickstart,
} from '../sim/scenarios.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../sim/server.js';
import type { NamedScenario } from '../sim/types.js';

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
