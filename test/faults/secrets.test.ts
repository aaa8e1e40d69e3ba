/**
 * The API key never leaves: not in stdout (beyond the runner's own `::add-mask::`), stderr, the
 * outputs, the summary, the pull-request comment, events-file or the runner's command files,
 * even when the provider echoes the request back, plainly or with JSON escapes, in error bodies,
 * events, statuses, model names and error messages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FaultHook } from '../../sim/server.js';
import type { NamedScenario, ProviderName } from '../../sim/types.js';
import { type ActionOnSim, actionOnSim } from '../support/action-on-sim.js';

const KEY = 'sk-proj-Secr3t_k3y-0123456789abcdefXYZ';

/** Every character as a \u escape: valid JSON for the key that no text search can find. */
const ESCAPED_KEY = [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

/** Every place a run leaves text, in one string; only the runner's own mask command is removed. */
function everythingWritten(run: ActionOnSim): string {
  const stdout = run.result.stdout
    .split('\n')
    .filter((line) => line !== `::add-mask::${KEY}`)
    .join('\n');
  const eventsFile = run.result.outputs['events-file'];
  return [
    stdout,
    run.result.stderr,
    JSON.stringify(run.result.outputs),
    run.result.summary,
    eventsFile ? readFileSync(eventsFile, 'utf8') : '',
    ...(run.github?.requests.map((request) => JSON.stringify(request.body)) ?? []),
    ...Object.values(run.otherCommandFiles),
  ].join('\n');
}

function expectNoKey(run: ActionOnSim): void {
  const written = everythingWritten(run);
  expect(written.includes(KEY), 'the key leaked').toBe(false);
  // Nor a large piece of it: masking must not leave most of the key readable.
  expect(written.includes(KEY.slice(0, 20)), 'most of the key leaked').toBe(false);
}

const echo = `Request: POST /v1 headers {"Authorization": "Bearer ${KEY}"}`;

/** A job that echoes the key in its events, an unknown status, its model name and error bodies. */
function echoingJob(provider: ProviderName, end: 'succeeded' | 'failed'): NamedScenario {
  const done = provider === 'together' ? 'completed' : 'succeeded';
  const failed = provider === 'together' ? 'error' : 'failed';
  return {
    id: provider === 'together' ? 'ft-echo-0001' : 'ftjob-echo0001',
    provider,
    stages: [
      { status: 'queued', events: [{ message: 'created' }] },
      { status: `paused (key ${KEY})`, events: [{ message: echo, level: 'warning' }] },
      {
        status: 'running',
        events: [{ message: `model_path ${KEY}`, extra: { model_path: `s3://${KEY}/model` } }],
      },
      end === 'succeeded'
        ? {
            status: done,
            events: [{ message: 'done', type: 'job_complete' }],
            job: {
              fine_tuned_model: `ft:${KEY}:model`,
              model_output_name: `me/${KEY}`,
              model_output_path: `s3://${KEY}`,
            },
          }
        : {
            status: failed,
            events: [{ message: `failed for ${KEY}`, level: 'error', type: 'job_error' }],
            job: { error: { message: `Unauthorized use of ${KEY}`, code: 'x', param: null } },
          },
    ],
  };
}

/** A page of events, in the provider's shape, with one event that spells the key in escapes. */
function escapedEventBody(provider: ProviderName): string {
  const event = `{"created_at":${provider === 'together' ? '"2026-01-01T00:00:00Z"' : '1767225600'},"level":"info","type":"message","message":"echo Bearer ${ESCAPED_KEY}","id":"ftevent-echo"}`;
  return provider === 'together'
    ? `{"status":"running","events":[${event}]}`
    : `{"object":"list","data":[${event}],"has_more":false}`;
}

/** The provider echoes the key in error bodies of every kind, and once in an event with escapes. */
function echoingFaults(provider: ProviderName): FaultHook {
  let escapedSent = false;
  return (request, n) => {
    if (n === 1) return { kind: 'status', status: 500, body: JSON.stringify({ error: { message: echo } }) };
    if (n === 2) return { kind: 'status', status: 502, body: `<html><body><pre>${echo}</pre></body></html>` };
    if (n === 3)
      return { kind: 'status', status: 503, body: `{"error":{"message":"bad key ${ESCAPED_KEY}"}}` };
    if (n === 4) return { kind: 'status', status: 429, body: `{"detail":"rate limit for ${KEY}"}` };
    const carriesEvents = provider === 'together' ? request.route === 'job' : request.route === 'events';
    if (!escapedSent && n > 4 && carriesEvents) {
      escapedSent = true;
      return { kind: 'raw', body: escapedEventBody(provider) };
    }
    return undefined;
  };
}

describe.each(['together', 'openai', 'nebius', 'azure-openai'] as const)('%s', (provider) => {
  it.each(['succeeded', 'failed'] as const)(
    'leaks no key from echoes in error bodies, events, statuses and names (job %s)',
    async (end) => {
      const run = await actionOnSim(echoingJob(provider, end), {
        apiKey: KEY,
        comment: true,
        sim: { fault: echoingFaults(provider) },
      });
      expect(run.result.code).toBe(end === 'succeeded' ? 0 : 1);
      expect(run.result.outputs.status).toBe(end);
      expectNoKey(run);
      // The echoes were read and shown, masked: the test exercised what it claims to.
      expect(run.result.stdout).toContain('Bearer ***');
      expect(run.events.some((event) => event.message === 'echo Bearer ***')).toBe(true);
      expect(run.sim.requests.filter((request) => request.status === 500)).toHaveLength(1);
    },
  );

  it('leaks no key read from the environment (api-key left empty)', async () => {
    const variable = {
      together: 'TOGETHER_API_KEY',
      openai: 'OPENAI_API_KEY',
      nebius: 'NEBIUS_API_KEY',
      'azure-openai': 'AZURE_OPENAI_API_KEY',
    }[provider];
    const run = await actionOnSim(echoingJob(provider, 'failed'), {
      apiKey: KEY,
      inputs: { 'api-key': '' },
      run: { env: { [variable]: KEY } },
      sim: { fault: echoingFaults(provider) },
    });
    expect(run.result.outputs.status).toBe('failed');
    expectNoKey(run);
  });

  it('leaks no key from a 401 or a 404 that echoes it', async () => {
    for (const status of [401, 404]) {
      const run = await actionOnSim(echoingJob(provider, 'succeeded'), {
        apiKey: KEY,
        comment: true,
        sim: {
          fault: () => ({
            kind: 'status',
            status,
            body: JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}` } }),
          }),
        },
      });
      expect(run.result.code).toBe(1);
      expect(run.result.outputs.error).toContain('Incorrect API key provided: ***');
      expectNoKey(run);
    }
  });
});

describe('fireworks (no events: the job object echoes the key)', () => {
  const job = (end: 'succeeded' | 'failed'): NamedScenario => ({
    id: 'accounts/acme/supervisedFineTuningJobs/echo0001',
    provider: 'fireworks',
    stages: [
      { status: 'JOB_STATE_RUNNING', at: 1, job: { status: { code: 'RUNNING', message: echo } } },
      { status: `JOB_STATE_PAUSED (key ${KEY})`, at: 2 },
      end === 'succeeded'
        ? { status: 'JOB_STATE_COMPLETED', at: 3, job: { outputModel: `accounts/acme/models/${KEY}` } }
        : {
            status: 'JOB_STATE_FAILED',
            at: 3,
            job: { status: { code: 'PERMISSION_DENIED', message: `Unauthorized use of ${KEY}` } },
          },
    ],
  });

  it.each(['succeeded', 'failed'] as const)('leaks no key from echoes (job %s)', async (end) => {
    const run = await actionOnSim(job(end), {
      apiKey: KEY,
      comment: true,
      sim: { fault: (_request, n) => (n < 5 ? echoingFaults('openai')(_request, n) : undefined) },
    });
    expect(run.result.code).toBe(end === 'succeeded' ? 0 : 1);
    expect(run.result.outputs.status).toBe(end);
    expectNoKey(run);
    expect(run.result.stdout).toContain('Bearer ***');
    if (end === 'failed') expect(run.result.outputs.error).toBe('Unauthorized use of ***');
  });
});
