import { describe, expect, it } from 'vitest';
import { NonFiniteLosses } from '../src/engine/loss-warnings.js';
import { assembleReport, type EventFacts, NO_EXTRAS } from '../src/engine/job-report.js';
import { type Condition, evaluateGates, parseRequire } from '../src/gates.js';
import { parseJson } from '../src/http/http-client.js';
import { latestMetrics, numbersOnly } from '../src/metrics.js';
import { summarise } from '../src/engine/watch-jobs.js';
import { outputsOf } from '../src/report/outputs.js';
import { renderSummary } from '../src/report/summary.js';
import { CapturingLog } from './support/capture.js';
import { jobSnapshot } from './support/job-snapshot.js';

const conditions = (text: string) => parseRequire(text) as Condition[];

describe('parseRequire', () => {
  it('reads conditions one a line or separated by `;`', () => {
    expect(
      conditions('valid_loss <= 1.2\n  train_loss<0.5 ; full_valid_mean_token_accuracy >= .7\n'),
    ).toEqual([
      { text: 'valid_loss <= 1.2', metric: 'valid_loss', operator: '<=', threshold: 1.2 },
      { text: 'train_loss < 0.5', metric: 'train_loss', operator: '<', threshold: 0.5 },
      {
        text: 'full_valid_mean_token_accuracy >= .7',
        metric: 'full_valid_mean_token_accuracy',
        operator: '>=',
        threshold: 0.7,
      },
    ]);
    expect(conditions('')).toEqual([]);
    expect(conditions('eval/loss > -1e-3')[0]).toMatchObject({ metric: 'eval/loss', threshold: -0.001 });
  });

  it.each(['valid_loss = 1', 'valid_loss <= high', '<= 1.2', 'valid loss < 1', 'valid_loss <== 1'])(
    'names the first piece that is not a condition: %s',
    (text) => {
      expect(parseRequire(`train_loss < 1\n${text}`)).toEqual({ invalid: text });
    },
  );
});

describe('evaluateGates', () => {
  it('passes, fails, and fails what was never reported or is NaN', () => {
    const verdict = evaluateGates(
      conditions('valid_loss <= 1.2; train_loss < 0.5; valid_mean_token_accuracy > 0.8; train_loss > 0'),
      {
        valid_loss: 1.31,
        train_loss: Number.NaN,
      },
    );
    expect(verdict.results.map((result) => [result.condition, result.value, result.passed])).toEqual([
      ['valid_loss <= 1.2', 1.31, false],
      ['train_loss < 0.5', Number.NaN, false],
      ['valid_mean_token_accuracy > 0.8', null, false],
      ['train_loss > 0', Number.NaN, false],
    ]);
    expect(verdict.reasons[0]).toBe('valid_loss <= 1.2: valid_loss is 1.31');
    expect(verdict.reasons[2]).toBe(
      'valid_mean_token_accuracy > 0.8: valid_mean_token_accuracy was never reported',
    );
    expect(evaluateGates(conditions('valid_loss <= 1.2'), { valid_loss: 1.2 }).reasons).toEqual([]);
  });

  it('with gates, a NaN or infinite loss not named still rejects; without gates nothing does', () => {
    expect(
      evaluateGates(conditions('valid_loss < 2'), { valid_loss: 1, train_loss: Infinity }).reasons,
    ).toEqual(['train_loss is Infinity']);
    expect(evaluateGates([], { train_loss: Number.NaN }).reasons).toEqual([]);
  });

  it('names a provider’s loss once, by the common name it is also given', () => {
    const together = latestMetrics([{ 'train/global_step': 3, 'train/loss': Number.NaN, 'eval/loss': 1 }]);
    expect(evaluateGates(conditions('valid_loss < 2'), together).reasons).toEqual(['train_loss is NaN']);
    expect(evaluateGates(conditions('train_loss < 2'), together).reasons).toEqual([
      'train_loss < 2: train_loss is NaN',
    ]);
    // A loss of its own (not the one `valid_loss` was taken from) is still named.
    const openai = latestMetrics([{ step: 3, valid_loss: 1, full_valid_loss: Number.POSITIVE_INFINITY }]);
    expect(evaluateGates(conditions('valid_loss < 2'), openai).reasons).toEqual([
      'full_valid_loss is Infinity',
    ]);
  });
});

const RANK_BY = { metric: 'valid_loss', highestWins: false };

describe('the report and outputs of a gated job', () => {
  const events: EventFacts = {
    count: 0,
    filePath: '/tmp/x',
    recent: [],
    lastErrorMessage: null,
    newestModelPath: null,
    metricRows: [],
    latestMetrics: { step: 10, valid_loss: 1.31, train_loss: Number.NaN },
  };
  const report = (require: string, outcome: 'succeeded' | 'failed' = 'succeeded') =>
    assembleReport({
      ref: { provider: 'openai', jobId: 'ftjob-1', baseUrl: 'https://api.openai.com/v1' },
      dashboardUrl: null,
      outcome,
      job: jobSnapshot(outcome, { model: 'ft:gpt-4o-mini:me::abc' }, 'openai'),
      failure: null,
      interrupted: false,
      cancelRequested: false,
      extras: NO_EXTRAS,
      events,
      fallbackModel: () => null,
      require: conditions(require),
      startedAt: 0,
      finishedAt: 1,
    });

  it('is rejected, without a model, with every failed condition and its value in error', () => {
    const rejected = report('valid_loss <= 1.2\nstep >= 10');
    expect(rejected.outcome).toBe('rejected');
    expect(rejected.model).toBeNull();
    expect(rejected.error).toBe(
      'The model did not pass its quality gates: valid_loss <= 1.2: valid_loss is 1.31; train_loss is NaN.',
    );
    const outputs = outputsOf(summarise([rejected], RANK_BY, 0, '/tmp/x'));
    expect(JSON.parse(outputs.gates)).toEqual([
      { condition: 'valid_loss <= 1.2', metric: 'valid_loss', value: 1.31, passed: false },
      { condition: 'step >= 10', metric: 'step', value: 10, passed: true },
    ]);
    expect(JSON.parse(outputs.metrics)).toMatchObject({ train_loss: 'NaN', valid_loss: 1.31 });
    const summary = renderSummary(rejected);
    expect(summary).toContain('#### Quality gates');
    expect(summary).toContain('| ❌ | <code>valid&#95;loss &lt;= 1.2</code> | 1.31 |');
    expect(summary).toContain('| ✅ | <code>step &gt;= 10</code> | 10 |');
    expect(summary).not.toContain('Model to deploy');
  });

  it('is not judged when the job did not succeed; [] without require', () => {
    expect(report('valid_loss <= 1.2', 'failed').outcome).toBe('failed');
    expect(outputsOf(summarise([report('')], RANK_BY, 0, '/tmp/x')).gates).toBe('[]');
    expect(report('').outcome).toBe('succeeded');
  });
});

describe('NaN and infinite losses', () => {
  it('are read from the words providers write for them, in strings or bare', () => {
    expect(numbersOnly({ train_loss: 'NaN', valid_loss: '-inf', step: 3, note: 'x' })).toEqual({
      train_loss: Number.NaN,
      valid_loss: Number.NEGATIVE_INFINITY,
      step: 3,
    });
    expect(parseJson('{"loss": NaN, "v": -Infinity, "m": "NaN in text", "ok": 1}')).toEqual({
      loss: 'NaN',
      v: '-Infinity',
      m: 'NaN in text',
      ok: 1,
    });
    expect(() => parseJson('{"loss": nope}')).toThrow(SyntaxError);
  });

  it('raise one warning per loss, when first seen, whether or not gates are set', () => {
    const log = new CapturingLog();
    const losses = new NonFiniteLosses(log);
    losses.check([
      { step: 1, train_loss: 2 },
      { step: 2, train_loss: Number.NaN },
      { step: 3, train_loss: Number.NaN },
    ]);
    losses.check([{ step: 4, valid_loss: Infinity, train_loss: Number.NaN }]);
    expect(log.warnings).toEqual([
      'train_loss is NaN at step 2: the training diverged or broke. Check the model before deploying it.',
      'valid_loss is Infinity at step 4: the training diverged or broke. Check the model before deploying it.',
    ]);
  });
});
