import { describe, expect, it } from 'vitest';
import {
  cancelledJob,
  largeHistory,
  nebiusCookbook,
  neverEnding,
  openaiCookbook,
  openaiFailure,
  togetherFailure,
  togetherLegacyUppercase,
  togetherQuickstart,
} from '../sim/scenarios.js';
import { API_KEY, isChronological, visibleLog, watchOnSim } from './support/e2e.js';
import { runnerCommands } from './support/runner-commands.js';

const QUICKSTART_MESSAGES = [
  'Fine tune request created',
  'Job started at Thu Apr  3 03:19:46 UTC 2025',
  'Model data downloaded for togethercomputer/Meta-Llama-3.1-8B-Instruct-Reference__TOG__FT at Thu Apr  3 03:19:48 UTC 2025',
  'Data downloaded for togethercomputer/Meta-Llama-3.1-8B-Instruct-Reference__TOG__FT at 2025-04-03T03:19:55.595750',
  'WandB run initialized.',
  'Training started for model togethercomputer/Meta-Llama-3.1-8B-Instruct-Reference__TOG__FT',
  'Epoch completed, at step 24',
  'Epoch completed, at step 48',
  'Epoch completed, at step 72',
  'Training completed for togethercomputer/Meta-Llama-3.1-8B-Instruct-Reference__TOG__FT at Thu Apr  3 03:27:55 UTC 2025',
  'Uploading output model',
  'Compressing output model',
  'Model compression complete',
  'Model upload complete',
  'Job finished at Thu Apr  3 03:31:33 UTC 2025',
];

describe('Together AI', () => {
  it('waits for the quickstart job and reports every event once, oldest first', async () => {
    const scenario = togetherQuickstart();
    const { result, events, sim } = await watchOnSim(scenario);
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'provider-status': 'completed',
      'job-id': scenario.id,
      error: '',
      'events-count': '15',
    });
    expect(result.outputs.model).toMatch(/^yourname\/Meta-Llama-3\.1-8B-Instruct-Reference-ft-/);
    expect(result.outputs['model-path']).toMatch(/^s3:\/\//);
    expect(events.map((event) => event.message)).toEqual(QUICKSTART_MESSAGES);
    expect(isChronological(events)).toBe(true);
    const log = visibleLog(result.stdout).join('\n');
    for (const message of QUICKSTART_MESSAGES) expect(log.split(message).length - 1).toBe(1);
    const checkpoints = JSON.parse(result.outputs.checkpoints ?? '');
    expect(checkpoints.map((c: { step: number }) => c.step)).toEqual([24, 48, 72]);
    expect(Object.keys(checkpoints[0]).sort()).toEqual(['created_at', 'id', 'model', 'step']);
    const metrics = JSON.parse(result.outputs.metrics ?? '');
    expect(metrics).toMatchObject({ step: 72, 'train/global_step': 72 });
    expect(metrics.timestamp).toBeUndefined();
    expect(result.summary).toContain('✅');
    // The job object embeds the events: an idle poll costs one request.
    expect(sim.count('events')).toBe(1);
  });

  it('accepts the 2023 event shape: UPPERCASE types, empty levels and hashes', async () => {
    const { result, events } = await watchOnSim(togetherLegacyUppercase());
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(events[0]).toMatchObject({
      type: 'job_pending',
      level: 'info',
      message: 'Fine tune request created',
    });
    expect(new Set(events.map((event) => event.message)).size).toBe(events.length);
    // No model_output_path on the job: the newest event's model_path is used.
    expect(result.outputs['model-path']).not.toBe('');
  });

  it('fails the step on a failed job with the last error event as the error', async () => {
    const { result, events } = await watchOnSim(togetherFailure());
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('failed');
    const lastError = events.filter((event) => event.level === 'error').at(-1);
    expect(result.outputs.error).toBe(lastError?.message);
    expect(result.stdout).toMatch(/^::error title=Together AI job/m);
    expect(result.stdout).toMatch(/^::warning title=Together AI job/m);
    expect(result.summary).toContain('❌');
  });
});

describe('OpenAI', () => {
  it('pages newest-first events backwards and prints them oldest first, once', async () => {
    const scenario = openaiCookbook();
    const { result, events, sim } = await watchOnSim(scenario, {}, { maxLimit: 4 });
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      model: 'ft:gpt-3.5-turbo-0613:personal:recipe-ner:8PjmcwDH',
    });
    const all = sim.job(scenario.id).events;
    expect(events).toHaveLength(all.length);
    expect(new Set(events.map((event) => event.id)).size).toBe(all.length);
    // The simulator numbers events in the order they happened: ftevent-1, ftevent-2, …
    expect(events.map((event) => event.id)).toEqual(all.map((_, i) => `ftevent-${i + 1}`));
    expect(isChronological(events)).toBe(true);
    expect(events.at(-1)?.message).toBe('The job has successfully completed');
    expect(JSON.parse(result.outputs.metrics ?? '')).toMatchObject({ step: 301 });
    expect(sim.requests.some((request) => request.query.after !== undefined)).toBe(true);
  });

  it('reports the job error and fails, unless fail-on leaves failures alone', async () => {
    const failed = await watchOnSim(openaiFailure());
    expect(failed.result.code).toBe(1);
    expect(failed.result.outputs.status).toBe('failed');
    expect(failed.result.outputs.error).not.toBe('');
    const tolerated = await watchOnSim(openaiFailure(), { 'fail-on': '' });
    expect(tolerated.result.code).toBe(0);
    expect(tolerated.result.outputs.status).toBe('failed');
  });
});

describe('Nebius Token Factory', () => {
  it.each(['asc', 'desc'] as const)(
    'reads %s pages and names the newest checkpoint as the model',
    async (order) => {
      const scenario = nebiusCookbook();
      const { result, events } = await watchOnSim(scenario, {}, { eventOrder: order, maxLimit: 2 });
      expect(result.code).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      expect(result.outputs.model).toBe(
        'ftjob-49b4625687fe42d1a981c9f9bbdfd569:ftckpt_98a07a09-9fb7-4009-8e18-0f72beade81c',
      );
      expect(events.map((event) => event.message)).toEqual([
        'Job is submitted',
        "Dataset 'validation' processed successfully",
        "Dataset 'training' processed successfully",
        'Training completed successfully',
      ]);
    },
  );
});

describe.each(['together', 'openai', 'nebius'] as const)('%s outcomes', (provider) => {
  it('reports a cancelled job as cancelled and fails by default', async () => {
    const { result } = await watchOnSim(cancelledJob(provider));
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('cancelled');
  });

  it('times out on its own deadline and leaves the job alone', async () => {
    const scenario = neverEnding(provider);
    const { result, sim } = await watchOnSim(scenario, { 'timeout-minutes': '0.005' });
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('timed_out');
    // timeout-minutes is 0.3 s here: the bound only tells it from a wait without end.
    expect(result.durationMs).toBeLessThan(15_000);
    expect(sim.job(scenario.id).cancelCalls).toBe(0);
  });

  it('cancels the job on timeout when asked', async () => {
    const scenario = neverEnding(provider);
    const { result, sim } = await watchOnSim(scenario, {
      'timeout-minutes': '0.005',
      'cancel-on-timeout': 'true',
    });
    expect(result.outputs.status).toBe('timed_out');
    expect(sim.job(scenario.id).cancelCalls).toBe(1);
  });

  it('checks once with wait: false', async () => {
    const scenario = neverEnding(provider);
    const { result, sim } = await watchOnSim(scenario, { wait: 'false', 'poll-interval': '60' });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('running');
    // A sleep would be the 60 s poll interval.
    expect(result.durationMs).toBeLessThan(15_000);
    expect(sim.count('job')).toBe(1);
  });

  it('accounts for every event of a large history', async () => {
    const scenario = largeHistory(provider, 3000);
    const { result, events } = await watchOnSim(scenario);
    expect(result.code).toBe(0);
    expect(events).toHaveLength(3000);
    expect(result.outputs['events-count']).toBe('3000');
    expect(
      new Set(events.map((event) => `${event.id ?? ''}|${event.created_at}|${event.message}`)).size,
    ).toBe(3000);
    expect(isChronological(events)).toBe(true);
  });

  it('ends at once on a wrong key, with one request and no key in the log', async () => {
    const { result, sim } = await watchOnSim(togetherQuickstart(), {
      provider,
      'api-key': 'sk-wrong-key-5555',
    });
    expect(result.code).toBe(1);
    expect(sim.requests).toHaveLength(1);
    expect(result.stdout).toContain('`api-key`');
    const withoutMasks = result.stdout.replace(/^::add-mask::.*$/gm, '');
    expect(withoutMasks).not.toContain('sk-wrong-key-5555');
    expect(result.outputs.error).not.toContain('sk-wrong-key-5555');
    expect(result.outputs.status).toBe('');
  });

  it('ends at once on an unknown job, naming it, the provider and the base URL', async () => {
    const { result, sim } = await watchOnSim(neverEnding(provider), {
      'job-id': 'ft-does-not-exist',
    });
    expect(result.code).toBe(1);
    expect(sim.requests).toHaveLength(1);
    const error = result.stdout.split('\n').find((line) => line.startsWith('::error::')) ?? '';
    expect(error).toContain('ft-does-not-exist');
    expect(error).toContain(sim.baseUrl);
    expect(result.outputs['job-id']).toBe('ft-does-not-exist');
  });
});

describe('a single check against an API that keeps failing', () => {
  it('fails the step with a clear message and still sets the outputs', async () => {
    const scenario = neverEnding('openai');
    const { result, sim } = await watchOnSim(
      scenario,
      { wait: 'false' },
      { fault: () => ({ kind: 'status', status: 503, body: '{"error":{"message":"overloaded"}}' }) },
    );
    expect(result.code).toBe(1);
    expect(sim.requests.length).toBeGreaterThan(1);
    expect(result.stdout).toMatch(/^::error::the API did not answer usably: .*HTTP 503/m);
    expect(result.stderr).toBe('');
    expect(result.outputs).toMatchObject({ status: '', 'job-id': scenario.id, 'events-count': '0' });
    expect(result.outputs.error).toContain('did not answer usably');
  });
});

describe('inputs', () => {
  it.each([
    [{ provider: 'anthropic' }, 'Input `provider`'],
    [{ 'job-id': '' }, 'Input `job-id`'],
    [{ 'poll-interval': '0' }, 'Input `poll-interval`'],
    [{ wait: 'yes' }, 'Input `wait`'],
    [{ 'api-key': '' }, 'OPENAI_API_KEY'],
  ])('rejects %o before any request', async (inputs, expected) => {
    const { result, sim } = await watchOnSim(openaiCookbook(), inputs);
    expect(result.code).toBe(1);
    expect(sim.requests).toHaveLength(0);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error::'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
    expect(result.summary).toContain('did not start');
  });
});

describe('log safety', () => {
  it('prints hostile event text without the runner obeying it', async () => {
    const scenario = togetherQuickstart();
    const hostile = [
      'done\n::add-mask::x',
      '::stop-commands::t',
      'a\r::set-output name=status::hacked',
      '##[add-path]/tmp/evil',
    ];
    const stage = scenario.stages[1];
    if (!stage) throw new Error('the scenario has no second stage');
    stage.events = [...(stage.events ?? []), ...hostile.map((message) => ({ message, level: 'warning' }))];
    const { result } = await watchOnSim(scenario);
    expect(result.code).toBe(0);
    const commands = runnerCommands(result.stdout);
    expect(new Set(commands.map((command) => command.name))).toEqual(new Set(['add-mask', 'warning']));
    expect(commands.filter((command) => command.name === 'add-mask').map((command) => command.line)).toEqual([
      `::add-mask::${API_KEY}`,
    ]);
    // The text is still shown, as text.
    expect(result.stdout).toContain('::stop-commands::t');
    expect(result.outputs.status).toBe('succeeded');
  });
});

describe('cancellation', () => {
  it('on SIGINT stops, cancels the job once when asked, writes outputs and exits within 5 s', async () => {
    const scenario = neverEnding('openai');
    const { result, sim } = await watchOnSim(
      scenario,
      { 'cancel-on-abort': 'true' },
      {},
      {
        // Timed from the action's first line: its handlers are in place, however slow the start.
        signal: [
          { name: 'SIGINT', afterMs: 300, afterOutput: 'Watching ' },
          { name: 'SIGTERM', afterMs: 7800, afterOutput: 'Watching ' },
        ],
        probe: true,
      },
    );
    expect((result.exitedAt ?? Infinity) - (result.signalledAt[0] ?? 0)).toBeLessThan(5000);
    expect(result.code).toBe(1);
    expect(sim.job(scenario.id).cancelCalls).toBe(1);
    expect(result.outputs.status).toBe('cancelled');
    expect(result.summary).not.toBe('');
  });

  it('never cancels the job when cancel-on-abort is not set', async () => {
    const scenario = neverEnding('together');
    const { result, sim } = await watchOnSim(
      scenario,
      {},
      {},
      { signal: { name: 'SIGTERM', afterMs: 300, afterOutput: 'Watching ' }, probe: true },
    );
    expect((result.exitedAt ?? Infinity) - (result.signalledAt[0] ?? 0)).toBeLessThan(5000);
    expect(sim.job(scenario.id).cancelCalls).toBe(0);
    expect(result.outputs.status).toBe('running');
  });
});
