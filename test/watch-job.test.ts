/**
 * The run of one job as decisions: how the watch ended decides the outcome, the cancel and the
 * budget of the last requests (a table, no HTTP); the report is assembled from what was found;
 * and whole runs over an in-memory HttpClient check the combinations end to end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decideEnding, type Ending, type EndingInput, outcomeAfterCancel } from '../src/engine/ending.js';
import { assembleReport, type EventFacts, NO_EXTRAS, type ReportParts } from '../src/engine/job-report.js';
import { watchJob } from '../src/engine/watch-job.js';
import { RunCancelled } from '../src/errors.js';
import type { Settings } from '../src/settings.js';
import { CapturingLog, CapturingReporter } from './support/capture.js';
import { memoryClient } from './support/fake-client.js';
import { jobSnapshot } from './support/job-snapshot.js';

describe('decideEnding', () => {
  const base: EndingInput = {
    cause: 'final',
    state: 'succeeded',
    cancelOnTimeout: false,
    cancelOnAbort: false,
  };
  const row = (input: Partial<EndingInput>, ending: Partial<Ending>) => [input, ending] as const;

  it.each([
    // The job ended: its state is the outcome, and the extras are read within their patience.
    row({}, { outcome: 'succeeded', cancel: false, interrupted: false, budget: 'extras', readExtras: true }),
    row({ state: 'failed' }, { outcome: 'failed', cancel: false }),
    row({ cause: 'checked', state: 'running' }, { outcome: 'running', budget: 'extras', readExtras: true }),
    // The deadline: timed_out, a cancel only when asked, one request timeout for the rest.
    row(
      { cause: 'deadline', state: 'running' },
      { outcome: 'timed_out', cancel: false, budget: 'after-deadline' },
    ),
    row(
      { cause: 'deadline', state: 'running', cancelOnTimeout: true },
      { outcome: 'timed_out', cancel: true },
    ),
    row({ cause: 'deadline', state: null, cancelOnTimeout: true }, { outcome: 'timed_out', cancel: true }),
    // The deadline during the last read after the final status: the job's outcome, no cancel.
    row(
      { cause: 'deadline', state: 'succeeded', cancelOnTimeout: true },
      { outcome: 'succeeded', cancel: false, readExtras: true },
    ),
    // The runner cancelled the step: no extras, a short budget, a cancel only when asked.
    row(
      { cause: 'cancelled', state: 'running' },
      { outcome: 'running', interrupted: true, cancel: false, budget: 'after-abort', readExtras: false },
    ),
    row({ cause: 'cancelled', state: 'running', cancelOnAbort: true }, { interrupted: true, cancel: true }),
    row({ cause: 'cancelled', state: null, cancelOnAbort: true }, { outcome: 'running', cancel: true }),
    // Cancelled after the job ended: nothing left to cancel.
    row({ cause: 'cancelled', state: 'failed', cancelOnAbort: true }, { outcome: 'failed', cancel: false }),
  ])('%o → %o', (input, expected) => {
    expect(decideEnding({ ...base, ...input })).toMatchObject(expected);
  });

  it('makes an interrupted step whose job we cancelled `cancelled`, and nothing else', () => {
    const aborted = decideEnding({ ...base, cause: 'cancelled', state: 'running', cancelOnAbort: true });
    expect(outcomeAfterCancel(aborted, true)).toBe('cancelled');
    expect(outcomeAfterCancel(aborted, false)).toBe('running');
    const timedOut = decideEnding({ ...base, cause: 'deadline', state: 'running', cancelOnTimeout: true });
    expect(outcomeAfterCancel(timedOut, true)).toBe('timed_out');
  });
});

describe('assembleReport', () => {
  const facts: EventFacts = {
    count: 3,
    filePath: '/tmp/events.ndjson',
    recent: [],
    lastErrorMessage: 'CUDA out of memory',
    newestModelPath: 's3://bucket/from-event',
    metricRows: [{ step: 1, train_loss: 2 }],
    latestMetrics: { step: 2, train_loss: 1.5 },
  };
  const parts = (overrides: Partial<ReportParts>): ReportParts => ({
    ref: { provider: 'together', jobId: 'ft-1', baseUrl: 'https://api.together.ai/v1' },
    dashboardUrl: null,
    outcome: 'succeeded',
    job: jobSnapshot('completed', { model: 'me/model' }),
    failure: null,
    interrupted: false,
    cancelRequested: false,
    extras: NO_EXTRAS,
    events: facts,
    fallbackModel: () => 'fallback',
    require: [],
    startedAt: 0,
    finishedAt: 1,
    ...overrides,
  });

  it.each([
    ['succeeded', 'me/model'],
    ['failed', null],
    ['cancelled', null],
    ['timed_out', null],
    ['running', null],
  ] as const)('names the model to deploy only when the job succeeded (%s)', (outcome, model) => {
    expect(assembleReport(parts({ outcome })).model).toBe(model);
  });

  it('falls back to the checkpoint model, the events’ error and model path, and keeps the latest metrics', () => {
    const report = assembleReport(parts({ job: jobSnapshot('completed') }));
    expect(report.model).toBe('fallback');
    expect(report.modelPath).toBe('s3://bucket/from-event');
    expect(report.metrics).toMatchObject({ step: 2, train_loss: 1.5 });
    const failed = assembleReport(parts({ outcome: 'failed', job: jobSnapshot('error') }));
    expect(failed.error).toBe('CUDA out of memory');
    const refused = assembleReport(parts({ outcome: null, job: null, failure: new Error('key refused') }));
    expect(refused.error).toBe('key refused');
    expect(refused.model).toBeNull();
  });
});

describe('watchJob over an in-memory API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-watch-job-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const settings = (overrides: Partial<Settings>): Settings => ({
    provider: 'openai',
    jobId: 'ftjob-1',
    apiKey: 'sk-test-0123',
    baseUrl: 'http://memory/v1',
    wait: true,
    pollIntervalMs: 5,
    timeoutMs: null,
    failOn: new Set(),
    cancelOnTimeout: false,
    cancelOnAbort: false,
    summary: false,
    commentOnPr: false,
    githubToken: '',
    require: [],
    rankBy: { metric: 'valid_loss', highestWins: false },
    ...overrides,
    jobIds: [overrides.jobId ?? 'ftjob-1'],
  });

  /** An OpenAI job that stays `running` until `finishAfter` job reads, then succeeds. */
  function api(finishAfter = Number.POSITIVE_INFINITY) {
    let jobReads = 0;
    let cancelled = false;
    const client = memoryClient((path) => {
      if (path.endsWith('/cancel')) {
        cancelled = true;
        return { status: 'cancelled' };
      }
      if (path.endsWith('/events')) return { data: [], has_more: false };
      if (path.endsWith('/checkpoints'))
        return {
          data: [{ id: 'ckpt-1', step_number: 3, fine_tuned_model_checkpoint: 'ft:ckpt' }],
          has_more: false,
        };
      jobReads++;
      const done = jobReads > finishAfter;
      return { status: done ? 'succeeded' : 'running', fine_tuned_model: done ? 'ft:done' : null };
    });
    return { client, wasCancelled: () => cancelled };
  }

  const run = (
    s: Settings,
    client: ReturnType<typeof api>['client'],
    cancelSignal = new AbortController().signal,
  ) =>
    watchJob(s, {
      log: new CapturingLog(),
      reporter: new CapturingReporter(),
      cancelSignal,
      env: { RUNNER_TEMP: dir },
      client,
    });

  it('a job that ends: its outcome, model, and checkpoints read after the end', async () => {
    const { client, wasCancelled } = api(2);
    const report = await run(settings({}), client);
    expect(report).toMatchObject({ outcome: 'succeeded', model: 'ft:done', interrupted: false });
    expect(report.checkpoints.map((c) => c.step)).toEqual([3]);
    expect(wasCancelled()).toBe(false);
  });

  it.each([
    [false, false],
    [true, true],
  ])(
    'the deadline with cancel-on-timeout %s: timed_out, cancelled %s, extras still read',
    async (cancel, expected) => {
      const { client, wasCancelled } = api();
      const report = await run(settings({ timeoutMs: 30, cancelOnTimeout: cancel }), client);
      expect(report.outcome).toBe('timed_out');
      expect(report.cancelRequested).toBe(expected);
      expect(wasCancelled()).toBe(expected);
      expect(report.checkpoints).toHaveLength(1);
    },
  );

  it.each([
    [false, 'running', false],
    [true, 'cancelled', true],
  ] as const)(
    'the runner cancels the step, cancel-on-abort %s: %s, no extras',
    async (cancel, outcome, expected) => {
      const { client, wasCancelled } = api();
      const controller = new AbortController();
      setTimeout(() => controller.abort(new RunCancelled('SIGINT')), 30);
      const report = await run(settings({ cancelOnAbort: cancel }), client, controller.signal);
      expect(report).toMatchObject({ outcome, interrupted: true, cancelRequested: expected });
      expect(wasCancelled()).toBe(expected);
      expect(report.checkpoints).toEqual([]);
      expect(client.requests.some((path) => path.endsWith('/checkpoints'))).toBe(false);
    },
  );

  it('a job that already ended is never cancelled, whatever stops the watch', async () => {
    const { client, wasCancelled } = api(0);
    const report = await run(settings({ timeoutMs: 60_000, cancelOnTimeout: true }), client);
    expect(report.outcome).toBe('succeeded');
    expect(wasCancelled()).toBe(false);
  });
});
