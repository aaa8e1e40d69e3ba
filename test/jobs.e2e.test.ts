/**
 * Many jobs in one step, through the bundled action and CLI: mixed outcomes and uneven lengths,
 * the best picked, one events file, lines marked with their job, one summary and comment, the
 * requests an idle set costs, a 429 that holds the whole set once, and cancelling the set.
 */
import { describe, expect, it } from 'vitest';
import { startFakeProvider } from '../sim/server.js';
import type { FaultHook } from '../sim/server.js';
import type { NamedScenario, RequestRecord } from '../sim/types.js';
import { Output } from '../src/constants.js';
import { jobLabel } from '../src/report/console-reporter.js';
import { type ActionOnSim, actionOnSim } from './support/action-on-sim.js';
import { jsonLines, runCliBundle } from './support/cli.js';
import { visibleLog } from './support/e2e.js';
import { markupViolations } from './support/markup.js';
import { runnerCommands } from './support/runner-commands.js';
import { sweepError, sweepJob, sweepModel } from './support/set-scenarios.js';

const KEY = 'sk-proj-sets-0123456789abcdef';

interface JobRecord {
  'job-id': string;
  status: string | null;
  model: string | null;
  error: string | null;
  'events-count': number;
  metrics: Record<string, number | string>;
}

const jobsOf = (run: ActionOnSim) => JSON.parse(run.result.outputs.jobs ?? '[]') as JobRecord[];
const historyOf = (run: ActionOnSim, scenario: NamedScenario) =>
  run.sim.job(scenario.id).events.map((event) => event.message);

describe('several job ids in one step', () => {
  const fast = sweepJob('fast', { steps: 2, end: 'succeeded', finalValidLoss: 0.9 });
  const slow = sweepJob('slow', { steps: 6, end: 'succeeded', finalValidLoss: 0.7 });
  const broken = sweepJob('broken', { steps: 3, end: 'failed' });

  it('watches each to its end, picks the best, and fails the step on the failed one', async () => {
    const run = await actionOnSim([fast, slow, broken], {
      apiKey: KEY,
      // Commas, spaces and lines, and a duplicate that counts once.
      inputs: { 'job-id': `${fast.id}, ${slow.id}\n${broken.id} ${fast.id}` },
    });
    const { result } = run;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
    expect(result.outputs).toMatchObject({
      status: 'failed',
      'best-job-id': slow.id,
      model: sweepModel('slow'),
      'job-id': [fast.id, slow.id, broken.id].join(','),
      error: `${broken.id}: ${sweepError('broken')}`,
    });
    const jobs = jobsOf(run);
    expect(jobs.map((job) => [job['job-id'], job.status, job.model])).toEqual([
      [fast.id, 'succeeded', sweepModel('fast')],
      [slow.id, 'succeeded', sweepModel('slow')],
      [broken.id, 'failed', null],
    ]);
    expect(jobs.map((job) => job.metrics.valid_loss)).toEqual([0.9, 0.7, expect.any(Number)]);
    expect(jobs[2]?.error).toBe(sweepError('broken'));

    // One events file: every job's events once, in its own order, each line naming its job.
    for (const scenario of [fast, slow, broken]) {
      const mine = run.events.filter((event) => event.job_id === scenario.id);
      expect(mine.map((event) => event.message)).toEqual(historyOf(run, scenario));
    }
    expect(run.events.every((event) => typeof event.job_id === 'string')).toBe(true);
    expect(result.outputs['events-count']).toBe(String(run.events.length));
    expect(jobs.reduce((total, job) => total + job['events-count'], 0)).toBe(run.events.length);

    // The log: one start line naming the set; each job's lines marked with it.
    const log = visibleLog(result.stdout);
    expect(log.filter((line) => line.startsWith('Watching 3 OpenAI jobs'))).toHaveLength(1);
    for (const scenario of [fast, slow, broken]) {
      const mark = `[${jobLabel(scenario.id)}] `;
      expect(log.some((line) => line.startsWith(`${mark}Status: validating_files`))).toBe(true);
      for (const message of historyOf(run, scenario).filter((m) => m.startsWith('Step ')))
        expect(log.some((line) => line.startsWith(mark) && line.endsWith(message))).toBe(true);
    }
    // The step fails once, for the job that failed.
    const failures = runnerCommands(result.stdout).filter(
      (command) => command.name === 'error' && command.line.includes(`Fine-tuning job ${broken.id} failed`),
    );
    expect(failures).toHaveLength(1);
  });

  it('renders one comparison, the best marked, one chart with a line per job and its key', async () => {
    const run = await actionOnSim([fast, slow, broken], { apiKey: KEY, comment: true });
    const { summary } = run.result;
    expect(markupViolations(summary)).toEqual([]);
    expect(summary).toMatch(/^### ❌ 3 OpenAI fine-tunes: 2 succeeded, 1 failed; best: <code>ftjob-/m);
    const rows = summary.split('\n').filter((line) => /^\| .* \| <code>ftjob-/.test(line));
    expect(rows).toHaveLength(3);
    const rowOf = (id: string) => rows.find((row) => row.includes(`<code>${id}</code>`)) ?? '';
    expect(rowOf(slow.id)).toMatch(/^\| 🏆 🟦 \|/);
    expect(rowOf(slow.id)).toContain(`<code>${sweepModel('slow')}</code>`);
    expect(rowOf(slow.id)).toContain('| 0.6 | 0.7 | 1 h 0 min | — |');
    expect(rowOf(fast.id)).toMatch(/^\| 🟧 \|/);
    expect(rowOf(fast.id)).toContain('| 0.8 | 0.9 | 20 min 0 s | — |');
    expect(rowOf(broken.id)).toMatch(/^\| 🟩 \| .* \| ❌ failed \| Training diverged/);
    // xychart has no legend: the text under the title names each line's colour, in the palette's order.
    expect(summary).toContain('"plotColorPalette": "#2563eb, #f97316, #16a34a"');
    expect(summary).toContain(`🟦 <code>${jobLabel(slow.id)}</code> · 🟧 <code>${jobLabel(fast.id)}</code>`);
    expect(summary.match(/^ {2}line \[/gm)).toHaveLength(3);
    expect(summary).toContain('<details><summary>The numbers</summary>');
    expect(summary).toMatch(/^\| 100 % \| 0\.6 \| 0\.8 \| /m);
    // One comment for the set, with the same table.
    expect(run.github?.comments).toHaveLength(1);
    expect(run.comment).toContain(rowOf(slow.id));
    expect(markupViolations(run.comment)).toEqual([]);
  });

  it('with an empty fail-on, passes and still gives the best model when another job failed', async () => {
    const run = await actionOnSim([broken, fast], { apiKey: KEY, inputs: { 'fail-on': '' } });
    expect(run.result.code).toBe(0);
    expect(run.result.outputs).toMatchObject({
      status: 'failed',
      'best-job-id': fast.id,
      model: sweepModel('fast'),
    });
  });

  it('ranks by the highest of a metric with `max`', async () => {
    const run = await actionOnSim([fast, slow], { apiKey: KEY, inputs: { 'rank-by': 'max valid_loss' } });
    expect(run.result.outputs['best-job-id']).toBe(fast.id);
    expect(run.result.outputs.model).toBe(sweepModel('fast'));
  });
});

/** The requests between one list request and the next: what each round of polls cost. */
function roundsOf(requests: readonly RequestRecord[]): RequestRecord[][] {
  const rounds: RequestRecord[][] = [];
  for (const request of requests) {
    if (request.route === 'jobs') rounds.push([request]);
    else rounds.at(-1)?.push(request);
  }
  return rounds;
}

describe('an idle set of OpenAI jobs', () => {
  it('costs at most N + 1 requests a poll (one list for every status), and times out as one', async () => {
    const idle = ['a', 'b', 'c', 'd', 'e'].map((seed) =>
      sweepJob(`idle-${seed}`, { steps: 1, end: 'never' }),
    );
    const run = await actionOnSim(idle, {
      apiKey: KEY,
      inputs: { 'timeout-minutes': '0.01', 'cancel-on-timeout': 'true' },
    });
    expect(run.result.code).toBe(1);
    expect(run.result.outputs.status).toBe('timed_out');
    const polls = roundsOf(run.sim.requests.filter((request) => request.route !== 'cancel'));
    expect(polls.length).toBeGreaterThanOrEqual(5);
    // The first round also reads what each job had before the step (checkpoints).
    const idleRounds = polls.slice(2, -1);
    const costs = idleRounds.map((round) => round.length);
    expect(Math.max(...costs)).toBeLessThanOrEqual(idle.length + 1);
    // Every unfinished job is cancelled, once.
    expect(idle.map((scenario) => run.sim.job(scenario.id).cancelCalls)).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('a 429 on one job', () => {
  it('holds the whole set once, for the time the server asked', async () => {
    const jobs = ['p', 'q', 'r', 's'].map((seed) => sweepJob(`held-${seed}`, { steps: 4, end: 'succeeded' }));
    const target = jobs[1] as NamedScenario;
    let refusedAt = 0;
    const fault: FaultHook = (request) => {
      if (refusedAt > 0 || request.route !== 'events' || request.jobId !== target.id) return undefined;
      refusedAt = request.time;
      return { kind: 'status', status: 429, headers: { 'retry-after': '0.6' } };
    };
    const run = await actionOnSim(jobs, { apiKey: KEY, sim: { fault } });
    expect(run.result.code).toBe(0);
    expect(run.result.outputs.status).toBe('succeeded');
    expect(run.sim.requests.filter((request) => request.status === 429)).toHaveLength(1);
    const retries = visibleLog(run.result.stdout).filter((line) => line.includes('retrying in'));
    expect(retries).toHaveLength(1);
    // Requests already on their way may land just after the 429; none is sent while it holds.
    const held = run.sim.requests.filter(
      (request) => request.time > refusedAt + 150 && request.time < refusedAt + 550,
    );
    expect(held.map((request) => `${request.route} ${request.jobId ?? ''}`)).toEqual([]);
  });
});

describe('the run cancelled', () => {
  it('cancels every unfinished job once with cancel-on-abort, and is gone within 5 s', async () => {
    const done = sweepJob('cancel-done', { steps: 1, end: 'succeeded' });
    const going = ['x', 'y', 'z'].map((seed) => sweepJob(`cancel-${seed}`, { steps: 1, end: 'never' }));
    const run = await actionOnSim([done, ...going], {
      apiKey: KEY,
      inputs: { 'cancel-on-abort': 'true', 'poll-interval': '0.05' },
      run: {
        signal: [{ name: 'SIGINT', afterMs: 500, afterOutput: 'Watching ' }],
        timeoutMs: 20_000,
        probe: true,
      },
    });
    const sigint = run.result.signalledAt[0] ?? Number.NaN;
    expect((run.result.exitedAt ?? Number.POSITIVE_INFINITY) - sigint).toBeLessThan(5_000);
    expect(run.result.code).toBe(1);
    expect(run.sim.job(done.id).cancelCalls).toBe(0);
    expect(going.map((scenario) => run.sim.job(scenario.id).cancelCalls)).toEqual([1, 1, 1]);
    expect(run.result.outputs.status).toBe('cancelled');
    expect(jobsOf(run).map((job) => job.status)).toEqual([
      'succeeded',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
  });
});

describe('50 jobs', () => {
  it('fit one summary and one comment, with every job in the table and 8 lines drawn', async () => {
    const jobs = Array.from({ length: 50 }, (_, i) =>
      sweepJob(`fifty-${i}`, {
        steps: 2 + (i % 5),
        end: i % 7 === 3 ? 'failed' : 'succeeded',
        finalValidLoss: 0.5 + ((i * 37) % 50) / 100,
        eventsPerStep: 20,
      }),
    );
    const run = await actionOnSim(jobs, { apiKey: KEY, comment: true, run: { timeoutMs: 60_000 } });
    const { result } = run;
    expect(result.code).toBe(1);
    expect(jobsOf(run)).toHaveLength(50);
    const succeeded = jobsOf(run).filter((job) => job.status === 'succeeded');
    const lowest = Math.min(...succeeded.map((job) => Number(job.metrics.valid_loss)));
    expect(succeeded.find((job) => job['job-id'] === result.outputs['best-job-id'])?.metrics.valid_loss).toBe(
      lowest,
    );
    expect(result.summary.length).toBeLessThan(1024 * 1024);
    expect(run.comment.length).toBeLessThan(65_536);
    for (const markdown of [result.summary, run.comment]) {
      expect(markupViolations(markdown)).toEqual([]);
      expect(markdown.split('\n').filter((line) => /^\| .* \| <code>ftjob-/.test(line))).toHaveLength(50);
    }
    expect(result.summary.match(/^ {2}line \[/gm)).toHaveLength(8);
    expect(result.summary).toContain('42 more jobs are in the table above, not drawn.');
    expect(result.outputs.error?.split('\n')).toHaveLength(jobs.filter((_, i) => i % 7 === 3).length);
    expect(run.events).toHaveLength(jobs.reduce((total, job) => total + historyOf(run, job).length, 0));
  });
});

describe('fine-tune-watch with several --job-id', () => {
  it('exits as its worst job, and each JSON record names its job', async () => {
    const good = sweepJob('cli-good', { steps: 2, end: 'succeeded', finalValidLoss: 0.8 });
    const bad = sweepJob('cli-bad', { steps: 1, end: 'failed' });
    const sim = await startFakeProvider({
      provider: 'openai',
      apiKey: KEY,
      jobs: { [good.id]: good, [bad.id]: bad },
    });
    try {
      const args = ['--provider', 'openai', '--base-url', sim.baseUrl, '--poll-interval', '0.02'];
      const json = await runCliBundle([...args, '--job-id', good.id, '--job-id', bad.id, '--json'], {
        env: { OPENAI_API_KEY: KEY },
      });
      expect(json.code).toBe(1);
      const records = jsonLines(json.stdout);
      const ofJobs = records.filter((record) => ['status', 'event'].includes(String(record.kind)));
      expect(new Set(ofJobs.map((record) => record.job_id))).toEqual(new Set([good.id, bad.id]));
      const result = records.at(-1) as { kind: string; exit_code: number; outputs: Record<string, string> };
      expect(result).toMatchObject({ kind: 'result', exit_code: 1 });
      expect(result.outputs['best-job-id']).toBe(good.id);
      expect(JSON.parse(result.outputs.jobs ?? '[]')).toHaveLength(2);

      const human = await runCliBundle([...args, '--job-id', `${good.id},${bad.id}`, '--fail-on', ''], {
        env: { OPENAI_API_KEY: KEY },
      });
      expect(human.code).toBe(0);
      expect(human.stdout).toContain(`[${jobLabel(bad.id)}] Status:`);
      expect(human.stdout).toMatch(/^Result: failed \(2 jobs\)/m);
      expect(human.stdout).toContain(`best         ${good.id}`);
    } finally {
      await sim.close();
    }
  });
});
