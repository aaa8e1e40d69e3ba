import { describe, expect, it } from 'vitest';
import type { JobReport } from '../src/engine/job-report.js';
import { escapeText } from '../src/report/html.js';
import { renderSummary } from '../src/report/summary.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> | @octocat #12 **bold** [x](http://e)';

function report(overrides: Partial<JobReport> = {}): JobReport {
  return {
    ref: { provider: 'together', jobId: 'ft-1', baseUrl: 'https://api.together.ai/v1' },
    outcome: 'failed',
    job: {
      providerStatus: 'error',
      state: 'failed',
      statusKnown: true,
      model: 'me/llama-ft',
      modelPath: null,
      error: null,
      baseModel: 'meta-llama/Meta-Llama-3.1-8B-Instruct-Reference',
      trainedTokens: 12345,
      createdAt: null,
      finishedAt: null,
      progress: { epochsCompleted: 2, totalEpochs: 3 },
    },
    model: 'me/llama-ft',
    modelPath: null,
    error: HOSTILE,
    failure: null,
    eventsCount: 2,
    eventsFile: '/tmp/x',
    checkpoints: [
      {
        id: 'ft-1:24',
        step: 24,
        model: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        metrics: null,
      },
    ],
    metrics: {},
    metricRows: [],
    recentEvents: [
      {
        key: 'a',
        id: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        level: 'error',
        type: 'job_error',
        message: HOSTILE,
        data: null,
        modelPath: null,
      },
    ],
    startedAt: 0,
    finishedAt: 125_000,
    interrupted: false,
    cancelRequested: false,
    dashboardUrl: null,
    gates: [],
    ...overrides,
  };
}

describe('renderSummary', () => {
  it('keeps the spacing of provider text in the event list, line breaks aside', () => {
    const event = { ...(report().recentEvents[0] as JobReport['recentEvents'][number]) };
    event.message = 'Job started at Thu Apr  3 03:19:46 UTC 2025\n  step    1';
    const md = renderSummary(report({ recentEvents: [event] }));
    expect(md).toContain('Job started at Thu Apr  3 03:19:46 UTC 2025   step    1');
  });

  it('shows a finished job no time left, and a model named before success as not deployable', () => {
    const base = report();
    const job = {
      ...(base.job as NonNullable<JobReport['job']>),
      progress: { secondsRemaining: 66_967_200 },
    };
    const md = renderSummary(report({ job, model: null }));
    expect(md).not.toMatch(/left/);
    expect(md).toContain('<code>me/llama-ft</code> (not deployable: the job did not succeed)');
    expect(md).not.toContain('Model to deploy');
  });

  it('shows the outcome, status, model, duration and checkpoints', () => {
    const md = renderSummary(report());
    expect(md).toContain('### ❌ Fine-tune failed: Together AI job <code>ft-1</code>');
    expect(md).toContain('| Provider status | error |');
    expect(md).toContain('| Model | <code>me/llama-ft</code> |');
    expect(md).toContain('| Watched for | 2 min 5 s |');
    expect(md).toContain('| Trained tokens | 12,345 |');
    expect(md).toContain('| 24 | ft-1:24 | 2026-01-01T00:00:00.000Z |');
    expect(md).toContain('<summary>Last 1 of 2 events</summary>');
  });

  it('escapes provider text everywhere', () => {
    const md = renderSummary(report());
    expect(md).not.toMatch(/<script|<img|@octocat|\*\*bold|\[x\]\(/);
    expect(md).toContain('&lt;script&gt;');
  });

  it('says why when the step could not watch the job', () => {
    const md = renderSummary(
      report({ outcome: null, job: null, failure: new Error('Job ft-1 was not found') }),
    );
    expect(md).toContain('could not watch');
    expect(md).toContain('Job ft-1 was not found');
  });
});

describe('escapeText', () => {
  it('leaves no markup, mention or reference active', () => {
    expect(escapeText('<b>@x #1 a|b `c`</b>')).toBe(
      '&lt;b&gt;@&#8203;x #&#8203;1 a&#124;b &#96;c&#96;&lt;/b&gt;',
    );
  });
});

describe('the copy block of the model', () => {
  it('is offered for plain model names and never holds markup', () => {
    expect(renderSummary(report())).toContain('```text\nme/llama-ft\n```');
    const hostile = renderSummary(report({ model: '<script>x</script>' }));
    expect(hostile).not.toContain('```text');
    expect(hostile).not.toContain('<script');
  });
});
