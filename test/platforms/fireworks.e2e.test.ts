/**
 * Fireworks AI end to end: the bundled action (dist/index.js, and the CLI bundle) as a child
 * process against the simulator's Fireworks gateway. A job is named
 * `accounts/<account>/supervisedFineTuningJobs/<id>` and read whole from `GET /v1/<name>`; there is
 * no events endpoint, so each status change the action sees is an event (`type: status`). The
 * simulator only answers a `Bearer` key, and the key never leaves: not in the log, the outputs,
 * the summary or events-file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cancelledJob, fireworksCompleted, fireworksFailed, neverEnding } from '../../sim/scenarios.js';
import { type FakeProvider, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario } from '../../sim/types.js';
import { Output } from '../../src/constants.js';
import { type ActionOnSim, type ActionOnSimOptions, actionOnSim } from '../support/action-on-sim.js';
import { jsonLines, runCliBundle } from '../support/cli.js';
import { isChronological, visibleLog } from '../support/e2e.js';

const KEY = 'fw_3ZkQ8pX2mN7vR4tY9wB6cD1eF5gH0jK';
const WRONG_KEY = 'fw_0000Wrong0000Key00000000000000';
const COMPLETED_MODEL = 'accounts/ftw-sim/models/ftw-support-bot';
const FAILED_MESSAGE =
  'Dataset validation failed: line 12 of accounts/ftw-sim/datasets/train-v1 is not valid JSON';
const FULL_FORM = '`accounts/<account>/supervisedFineTuningJobs/<id>`';

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

/** The action on the simulated Fireworks gateway; the key never leaks. */
async function watch(scenario: NamedScenario, options: ActionOnSimOptions = {}): Promise<ActionOnSim> {
  const run = await actionOnSim(scenario, { apiKey: KEY, ...options });
  expectNoKey(run, KEY);
  return run;
}

const errorLines = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::error'));

/** Queued, running, then JOB_STATE_EXPIRED, with or without a status message. */
function expiredJob(message: string | null): NamedScenario {
  return {
    id: 'accounts/acme-ml/supervisedFineTuningJobs/x7exp1re',
    provider: 'fireworks',
    job: { created_at: Date.parse('2026-07-12T08:00:00Z') / 1000, displayName: 'ftw-expired' },
    stages: [
      { status: 'JOB_STATE_PENDING', at: 0 },
      { status: 'JOB_STATE_RUNNING', at: 30, job: { jobProgress: { percent: 12, epoch: 0 } } },
      {
        status: 'JOB_STATE_EXPIRED',
        at: 90,
        ...(message === null ? {} : { job: { status: { code: 'DEADLINE_EXCEEDED', message } } }),
      },
    ],
  };
}

describe('Fireworks AI', () => {
  it('waits for a completed job: `model` is outputModel, each status change an event', async () => {
    const scenario = fireworksCompleted();
    const { result, events, sim } = await watch(scenario);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'provider-status': 'JOB_STATE_COMPLETED',
      model: COMPLETED_MODEL,
      'model-path': '',
      'job-id': scenario.id,
      error: '',
      'events-count': '6',
      checkpoints: '[]',
      metrics: '{}',
    });
    // Six reads show JOB_STATE_RUNNING as the percentage climbs: one event, not six.
    const states = [
      'JOB_STATE_CREATING',
      'JOB_STATE_VALIDATING',
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_WRITING_RESULTS',
      'JOB_STATE_COMPLETED',
    ];
    expect(events.map(({ type, level, message }) => ({ type, level, message }))).toEqual(
      states.map((state) => ({ type: 'status', level: 'info', message: state })),
    );
    // Dated by the job's updateTime: creation, then each stage's time.
    expect(events[0]?.created_at).toBe('2026-07-10T23:09:35.000Z');
    expect(events.at(-1)?.created_at).toBe('2026-07-11T01:06:27.000Z');
    expect(isChronological(events)).toBe(true);

    const log = visibleLog(result.stdout);
    for (const state of states) {
      expect(
        log.filter((line) => / {2}info {5}/.test(line) && line.endsWith(`  ${state}`)),
        state,
      ).toHaveLength(1);
    }
    expect(log).toContain('Status: JOB_STATE_PENDING → JOB_STATE_RUNNING (0 %)');
    expect(log).toContain('Status: JOB_STATE_WRITING_RESULTS → JOB_STATE_COMPLETED (100 %)');
    expect(result.stdout).not.toContain('does not know');
    expect(result.stdout).not.toMatch(/^::(warning|error)/m);
    expect(result.summary).toContain(COMPLETED_MODEL);

    // One read of the job per stage, by its full name; nothing else is asked.
    expect(sim.requests).toHaveLength(scenario.stages.length);
    for (const request of sim.requests) {
      expect(request).toMatchObject({ method: 'GET', path: `/v1/${scenario.id}`, route: 'job', status: 200 });
    }
  });

  it.each([
    'k3v9x2qa',
    'supervisedFineTuningJobs/k3v9x2qa',
    'accounts/ftw-sim/models/k3v9x2qa',
    'accounts/ftw-sim/supervisedFineTuningJobs/',
  ])('refuses the job id %j before any request, showing the full form', async (jobId) => {
    const run = await watch(fireworksCompleted(), { inputs: { 'job-id': jobId } });
    const { result, sim } = run;
    expect(sim.requests).toHaveLength(0);
    expect(result.code).toBe(1);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Input `job-id` must be the job's full name, /);
    expect(errors[0]).toContain(FULL_FORM);
    expect(errors[0]).toContain(JSON.stringify(jobId));
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
    expect(result.outputs.status).toBe('');
  });

  it('fails on a failed job with `error` = status.message, as an error event and annotation', async () => {
    const scenario = fireworksFailed();
    const { result, events } = await watch(scenario);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'failed',
      'provider-status': 'JOB_STATE_FAILED',
      model: '',
      error: FAILED_MESSAGE,
      'events-count': '3',
    });
    expect(events.at(-1)).toMatchObject({
      type: 'status',
      level: 'error',
      message: `JOB_STATE_FAILED: ${FAILED_MESSAGE}`,
    });
    expect(result.stdout).toContain(
      `::error title=Fireworks AI job ${scenario.id}::JOB_STATE_FAILED: ${FAILED_MESSAGE}`,
    );
    expect(errorLines(result.stdout).at(-1)).toBe(
      `::error::Fine-tuning job ${scenario.id} failed: ${FAILED_MESSAGE}`,
    );
    expect(result.summary).toContain('❌');

    const tolerated = await watch(fireworksFailed(), { inputs: { 'fail-on': '' } });
    expect(tolerated.result.code).toBe(0);
    expect(tolerated.result.outputs).toMatchObject({ status: 'failed', error: FAILED_MESSAGE });
  });

  it('counts JOB_STATE_EXPIRED as failed, with its status message as `error`', async () => {
    const message = 'Job expired after 7 days in the queue';
    const { result, events } = await watch(expiredJob(message));
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({
      status: 'failed',
      'provider-status': 'JOB_STATE_EXPIRED',
      model: '',
      error: message,
    });
    expect(events.map((event) => event.message)).toEqual([
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      `JOB_STATE_EXPIRED: ${message}`,
    ]);
    expect(events.at(-1)?.level).toBe('error');
    expect(result.stdout).not.toContain('does not know');
  });

  it('counts JOB_STATE_EXPIRED without a message as failed, and says which state', async () => {
    const { result } = await watch(expiredJob(null));
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('failed');
    expect(result.outputs.error).toContain('JOB_STATE_EXPIRED');
  });

  it('reports a job cancelled elsewhere as cancelled, JOB_STATE_CANCELLING on the way', async () => {
    const scenario = cancelledJob('fireworks');
    const { result, events } = await watch(scenario);
    expect(result.code).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'cancelled', 'provider-status': 'JOB_STATE_CANCELLED' });
    expect(events.map((event) => event.message)).toEqual([
      'JOB_STATE_PENDING',
      'JOB_STATE_RUNNING',
      'JOB_STATE_CANCELLING',
      'JOB_STATE_CANCELLED',
    ]);
  });

  it.each([true, false])(
    'on timeout, cancels with POST …:cancel only when asked (cancel-on-timeout: %s)',
    async (cancel) => {
      const scenario = neverEnding('fireworks');
      const { result, sim } = await watch(scenario, {
        inputs: { 'timeout-minutes': '0.005', 'cancel-on-timeout': String(cancel) },
      });
      expect(result.code).toBe(1);
      expect(result.outputs).toMatchObject({ status: 'timed_out', 'provider-status': 'JOB_STATE_RUNNING' });
      // Fireworks names the output model from the start: it is no model to deploy before success.
      expect(result.outputs.model).toBe('');
      const cancels = sim.requests.filter((request) => request.method !== 'GET');
      expect(cancels.map(({ method, path, route, status }) => ({ method, path, route, status }))).toEqual(
        cancel ? [{ method: 'POST', path: `/v1/${scenario.id}:cancel`, route: 'cancel', status: 200 }] : [],
      );
      expect(sim.job(scenario.id).cancelCalls).toBe(cancel ? 1 : 0);
      expect(result.stdout.includes(`Asked Fireworks AI to cancel job ${scenario.id}`)).toBe(cancel);
    },
  );

  it('a wrong key: the 401 ends the step at once with a message about the key, `status` empty', async () => {
    const run = await actionOnSim(fireworksCompleted(), { apiKey: KEY, inputs: { 'api-key': WRONG_KEY } });
    const { result, sim } = run;
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]?.status).toBe(401);
    expect(result.code).toBe(1);
    expect(result.durationMs).toBeLessThan(15_000);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Fireworks AI rejected the API key \(/);
    expect(errors[0]).toContain('HTTP 401');
    expect(errors[0]).toContain('`api-key`');
    expect(errors[0]).toContain('FIREWORKS_API_KEY');
    expect(result.stdout).not.toMatch(/retrying in/);
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
    expect(result.outputs.status).toBe('');
    expect(result.outputs.error).toBe(errors[0]?.replace('::error::', ''));
    expectNoKey(run, WRONG_KEY);
  });

  it('a 403 (no access to the account) ends the step at once, like a refused key', async () => {
    const { result, sim } = await watch(fireworksCompleted(), {
      sim: {
        fault: () => ({
          kind: 'status',
          status: 403,
          body: JSON.stringify({ code: 7, message: 'permission denied on account ftw-sim', details: [] }),
        }),
      },
    });
    expect(sim.requests).toHaveLength(1);
    expect(result.code).toBe(1);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::Fireworks AI rejected the API key \(/);
    expect(errors[0]).toContain('permission denied on account ftw-sim');
    expect(errors[0]).toContain('FIREWORKS_API_KEY');
    expect(result.outputs.status).toBe('');
  });

  it('an unknown job: the 404 names the job, the platform and base-url', async () => {
    const missing = 'accounts/ftw-sim/supervisedFineTuningJobs/nosuchjb';
    const { result, sim } = await watch(fireworksCompleted(), { inputs: { 'job-id': missing } });
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({ path: `/v1/${missing}`, status: 404 });
    expect(result.code).toBe(1);
    const errors = errorLines(result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`Job ${missing} was not found on Fireworks AI at ${sim.baseUrl}`);
    expect(errors[0]).toContain('`base-url`');
    expect(result.outputs.status).toBe('');
  });

  it('reads the key from FIREWORKS_API_KEY when the input is empty, and masks it', async () => {
    const run = await watch(fireworksFailed(), {
      inputs: { 'api-key': '' },
      run: { env: { FIREWORKS_API_KEY: KEY } },
    });
    expect(run.result.outputs).toMatchObject({ status: 'failed', error: FAILED_MESSAGE });
    expect(run.sim.requests.every((request) => request.status === 200)).toBe(true);
    expect(run.result.stdout.split('\n')[0]).toBe(`::add-mask::${KEY}`);
  });

  it('without a key: one error naming the input and FIREWORKS_API_KEY, before any request', async () => {
    const run = await actionOnSim(fireworksCompleted(), { apiKey: KEY, inputs: { 'api-key': '' } });
    expect(run.sim.requests).toHaveLength(0);
    expect(run.result.code).toBe(1);
    const errors = errorLines(run.result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('`api-key`');
    expect(errors[0]).toContain('FIREWORKS_API_KEY');
  });

  it('with wait: false, reads the job once and reports a queued job as running', async () => {
    const scenario = fireworksCompleted();
    const { result, sim, events } = await watch(scenario, {
      inputs: { wait: 'false', 'poll-interval': '60' },
    });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'running',
      'provider-status': 'JOB_STATE_CREATING',
      // Not deployable yet, though the job names its output model.
      model: '',
    });
    expect(sim.count('job')).toBe(1);
    expect(events.map((event) => event.message)).toEqual(['JOB_STATE_CREATING']);
  });

  it('scrubs the key from a gateway error that echoes it, and retries the 500', async () => {
    const echo = `internal: Authorization: Bearer ${KEY}`;
    const run = await watch(fireworksFailed(), {
      sim: {
        fault: (_request, n) =>
          n === 1
            ? { kind: 'status', status: 500, body: JSON.stringify({ code: 13, message: echo, details: [] }) }
            : undefined,
      },
    });
    expect(run.sim.requests[1]?.status).toBe(500);
    expect(run.result.outputs).toMatchObject({ status: 'failed', error: FAILED_MESSAGE });
    expect(run.result.stdout).toContain('Bearer ***');
  });
});

describe('Fireworks AI through the CLI bundle', () => {
  async function simOf(scenario: NamedScenario): Promise<FakeProvider> {
    const sim = await startFakeProvider({
      provider: 'fireworks',
      apiKey: KEY,
      jobs: { [scenario.id]: scenario },
    });
    cleanups.push(() => sim.close());
    return sim;
  }

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'ftw-fireworks-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  const args = (jobId: string, baseUrl: string, ...extra: string[]) => [
    '--json',
    '--provider',
    'fireworks',
    '--job-id',
    jobId,
    '--base-url',
    baseUrl,
    '--poll-interval',
    '0.02',
    ...extra,
  ];

  it('watches a completed job with the key from FIREWORKS_API_KEY (exit 0)', async () => {
    const scenario = fireworksCompleted();
    const sim = await simOf(scenario);
    const run = await runCliBundle(args(scenario.id, sim.baseUrl), {
      env: { FIREWORKS_API_KEY: KEY, TMPDIR: tempDir() },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const records = jsonLines(run.stdout);
    const result = records.at(-1) as { kind: string; exit_code: number; outputs: Record<string, string> };
    expect(result).toMatchObject({ kind: 'result', exit_code: 0 });
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      model: COMPLETED_MODEL,
      'events-count': '6',
    });
    const events = records.filter((record) => record.kind === 'event');
    expect(events.every((event) => event.type === 'status')).toBe(true);
    expect(events.at(-1)?.message).toBe('JOB_STATE_COMPLETED');
    expect(run.stdout).not.toContain(KEY);
  });

  it('exits 2 on a bare job id, naming --job-id and the full form, before any request', async () => {
    const scenario = fireworksCompleted();
    const sim = await simOf(scenario);
    const run = await runCliBundle(args('k3v9x2qa', sim.baseUrl), {
      env: { FIREWORKS_API_KEY: KEY, TMPDIR: tempDir() },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--job-id must be the job's full name");
    expect(run.stderr).toContain(FULL_FORM);
    expect(sim.requests).toHaveLength(0);
  });

  it('exits 3 on timeout and cancels with POST …:cancel when asked', async () => {
    const scenario = neverEnding('fireworks');
    const sim = await simOf(scenario);
    const run = await runCliBundle(
      args(scenario.id, sim.baseUrl, '--timeout-minutes', '0.005', '--cancel-on-timeout'),
      { env: { FIREWORKS_API_KEY: KEY, TMPDIR: tempDir() } },
    );
    expect(run.code).toBe(3);
    expect(jsonLines(run.stdout).at(-1)).toMatchObject({ kind: 'result', outputs: { status: 'timed_out' } });
    expect(sim.requests.filter((request) => request.route === 'cancel')).toMatchObject([
      { method: 'POST', path: `/v1/${scenario.id}:cancel` },
    ]);
  });
});
