/**
 * Row 8: many jobs in one step. What an idle poll of N jobs costs in requests on every platform
 * (≤ N + 1: one list for every status where the platform has one, else one read a job), the CPU
 * of a poll as N grows (linear), peak memory with 50 jobs of 10,000 events each, and a 429 on
 * one job holding the whole set once, side by side with the same set unrefused.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neverEnding } from '../../../sim/scenarios.js';
import { type FakeProvider, type FaultHook, startFakeProvider } from '../../../sim/server.js';
import {
  type NamedScenario,
  PROVIDER_NAMES,
  type ProviderName,
  type RequestRecord,
} from '../../../sim/types.js';
import { type Measured, runMeasured } from '../child.js';
import { API_KEY, type BenchContext, cloudEnv, inputsFor, LABELS } from '../common.js';
import { steadyJob } from '../scenarios.js';
import { fixed, median } from '../stats.js';
import { atMost, type Row } from '../table.js';

const GROUP = '8 many jobs in one step';
const ALL: readonly ProviderName[] = PROVIDER_NAMES;
const MEMORY_TARGET_MB = 300;
const RETRY_AFTER_S = 1;

/** The scenario again under N ids of the same form (the last three characters become digits). */
function copies(scenario: NamedScenario, n: number): NamedScenario[] {
  return Array.from({ length: n }, (_, i) => ({
    ...scenario,
    id: `${scenario.id.slice(0, -3)}${String(i).padStart(3, '0')}`,
  }));
}

/** Runs the bundled action on a set of jobs on one fake, measured, and always stops the fake. */
async function runSet(
  ctx: BenchContext,
  jobs: readonly NamedScenario[],
  inputs: Record<string, string>,
  fault?: FaultHook,
): Promise<{ measured: Measured; sim: FakeProvider }> {
  const first = jobs[0] as NamedScenario;
  const sim = await startFakeProvider({
    provider: first.provider,
    apiKey: API_KEY,
    jobs: Object.fromEntries(jobs.map((job) => [job.id, job])),
    ...(fault ? { fault } : {}),
  });
  const dir = await mkdtemp(join(tmpdir(), 'ftw-bench-jobs-'));
  try {
    const measured = await runMeasured(ctx.main, {
      inputs: inputsFor(sim, first, {
        'job-id': jobs.map((job) => job.id).join('\n'),
        'poll-interval': '0.02',
        ...inputs,
      }),
      env: cloudEnv(sim, dir),
    });
    return { measured, sim };
  } finally {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A round of polls starts with the list request where the platform has one, else with the first
 * job's read. The first rounds also read what each job had before (checkpoints), and a deadline
 * may cut the last one short: the idle rounds are the ones between.
 */
function idleRounds(requests: readonly RequestRecord[], firstJob: string): number[] {
  const listed = requests.some((request) => request.route === 'jobs');
  const starts = (request: RequestRecord) =>
    listed ? request.route === 'jobs' : request.route === 'job' && request.jobId === firstJob;
  const rounds: number[] = [];
  for (const request of requests.filter((r) => r.route !== 'cancel')) {
    if (starts(request)) rounds.push(0);
    if (rounds.length > 0) rounds[rounds.length - 1] = (rounds.at(-1) as number) + 1;
  }
  if (rounds.length < 6)
    throw new Error(`only ${rounds.length} rounds: the machine is too slow for this row`);
  return rounds.slice(3, -1);
}

async function idleRequestRows(ctx: BenchContext): Promise<Row[]> {
  const n = 10;
  const rows: Row[] = [];
  for (const provider of ALL) {
    ctx.progress(`many jobs: requests per idle poll of ${n} ${LABELS[provider]} jobs`);
    const jobs = copies(neverEnding(provider), n);
    const { sim } = await runSet(ctx, jobs, { 'timeout-minutes': ctx.smoke ? '0.02' : '0.04' });
    const rounds = idleRounds(sim.requests, (jobs[0] as NamedScenario).id);
    const perRound = rounds.reduce((sum, count) => sum + count, 0) / rounds.length;
    rows.push({
      group: GROUP,
      case: `${LABELS[provider]}, ${n} idle jobs, requests per poll`,
      result: fixed(perRound),
      target: `≤ ${n + 1}`,
      verdict: atMost(Math.max(...rounds), n + 1),
      detail: `${rounds.length} idle polls, at most ${Math.max(...rounds)} requests in one${sim.count('jobs') > 0 ? '; statuses from one list request a poll' : ''}`,
      strict: true,
    });
  }
  return rows;
}

/** CPU of one poll of N idle OpenAI jobs: the difference of a short and a long run, per round. */
async function cpuPerPoll(ctx: BenchContext, n: number): Promise<number> {
  const jobs = copies(neverEnding('openai'), n);
  const pairs: number[] = [];
  for (let i = 0; i < (ctx.smoke ? 1 : 3); i++) {
    const short = await runSet(ctx, jobs, { 'timeout-minutes': '0.01' });
    const long = await runSet(ctx, jobs, { 'timeout-minutes': ctx.smoke ? '0.03' : '0.05' });
    const rounds = (run: { sim: FakeProvider }) => (n > 1 ? run.sim.count('jobs') : run.sim.count('job'));
    pairs.push((long.measured.cpuMs - short.measured.cpuMs) / (rounds(long) - rounds(short)));
  }
  return median(pairs);
}

async function cpuRows(ctx: BenchContext): Promise<Row[]> {
  const sizes = [1, 10, 50];
  const costs: number[] = [];
  for (const n of sizes) {
    ctx.progress(`many jobs: CPU per poll of ${n} idle OpenAI jobs`);
    costs.push(await cpuPerPoll(ctx, n));
  }
  const perJob = costs.map((cost, i) => cost / (sizes[i] as number));
  // Linear: a job costs no more in a set of 50 than alone (with slack for the machine's noise).
  const growth = (perJob.at(-1) as number) / (perJob[0] as number);
  return [
    {
      group: GROUP,
      case: `OpenAI, CPU per poll of ${sizes.join(' → ')} idle jobs`,
      result: `${costs.map((cost) => fixed(cost)).join(' → ')} ms`,
      target: 'linear in N',
      verdict: ctx.smoke ? 'info' : atMost(growth, 1.5),
      detail: `per job: ${perJob.map((cost) => fixed(cost, 3)).join(' → ')} ms (${fixed(growth)}× alone's at ${sizes.at(-1)})`,
    },
  ];
}

async function memoryRows(ctx: BenchContext): Promise<Row[]> {
  const events = ctx.smoke ? 1_000 : 10_000;
  const rows: Row[] = [];
  for (const provider of ['openai', 'together'] as const) {
    ctx.progress(`many jobs: 50 ${LABELS[provider]} jobs of ${events.toLocaleString('en-US')} events`);
    const jobs = copies(steadyJob(provider, events, 10), 50);
    const { measured } = await runSet(ctx, jobs, {});
    if (measured.result.outputs.status !== 'succeeded')
      throw new Error(`the 50 jobs ended ${measured.result.outputs.status}`);
    rows.push({
      group: GROUP,
      case: `${LABELS[provider]}, 50 jobs × ${events.toLocaleString('en-US')} events, peak memory`,
      result: `${fixed(measured.maxRssMb, 0)} MB`,
      target: `< ${MEMORY_TARGET_MB} MB`,
      verdict: ctx.smoke ? 'info' : atMost(measured.maxRssMb, MEMORY_TARGET_MB - 0.5),
      detail: `${measured.result.outputs['events-count']} events in all; ${fixed(measured.cpuMs / 1000, 1)} s of CPU; peak RSS of the action's process`,
    });
  }
  return rows;
}

async function retryAfterRows(ctx: BenchContext): Promise<Row[]> {
  const n = 10;
  ctx.progress(`many jobs: a 429 on one of ${n} OpenAI jobs`);
  const jobs = copies(steadyJob('openai', 200, 20), n);
  const target = (jobs[3] as NamedScenario).id;
  let refusedAt = 0;
  const fault: FaultHook = (request) => {
    if (refusedAt > 0 || request.route !== 'events' || request.jobId !== target) return undefined;
    refusedAt = request.time;
    return { kind: 'status', status: 429, headers: { 'retry-after': String(RETRY_AFTER_S) } };
  };
  const plain = await runSet(ctx, jobs, {});
  const refused = await runSet(ctx, jobs, {}, fault);
  const extraS = (refused.measured.result.durationMs - plain.measured.result.durationMs) / 1000;
  // Requests already on their way may land just after the 429; none may be sent during the hold.
  const during = refused.sim.requests.filter(
    (request) => request.time > refusedAt + 150 && request.time < refusedAt + RETRY_AFTER_S * 1000 - 50,
  ).length;
  const served429 = refused.sim.requests.filter((request) => request.status === 429).length;
  return [
    {
      group: GROUP,
      case: `OpenAI, ${n} jobs, one 429 (Retry-After ${RETRY_AFTER_S} s) on one job`,
      result: `+${fixed(extraS, 1)} s`,
      target: `one hold: < ${RETRY_AFTER_S * 2} s, 0 requests during it`,
      verdict: ctx.smoke ? 'info' : extraS < RETRY_AFTER_S * 2 && during === 0 ? 'met' : 'missed',
      detail: `${fixed(plain.measured.result.durationMs / 1000, 2)} s unrefused vs ${fixed(refused.measured.result.durationMs / 1000, 2)} s; ${served429} 429 served, ${during} requests during the hold`,
    },
  ];
}

export async function jobsRows(ctx: BenchContext): Promise<Row[]> {
  return [
    ...(await idleRequestRows(ctx)),
    ...(await cpuRows(ctx)),
    ...(await memoryRows(ctx)),
    ...(await retryAfterRows(ctx)),
  ];
}
