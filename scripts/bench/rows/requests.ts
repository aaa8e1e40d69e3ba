/**
 * Rows 1 and 2: request economy, counted by the fake server while the bundled action runs.
 *
 * 1. Requests per idle poll: a job that runs and says nothing new; the requests between the third
 *    and the last read of the job object, divided by the polls they span (the first two polls
 *    attach and take the job's first events).
 * 2. Requests for a whole job of N events and P polls (P = reads of the job object), against the
 *    lower bound P + ceil(N / page size): every poll must read the job, and the events take at
 *    least that many pages. On Together the job object carries every event, so the bound is P.
 */
import { neverEnding } from '../../../sim/scenarios.js';
import type { FakeProvider } from '../../../sim/server.js';
import type { NamedScenario, ProviderName } from '../../../sim/types.js';
import { runMeasured } from '../child.js';
import {
  type BenchContext,
  type BenchProvider,
  EVENTS_PAGE_SIZE,
  inputsFor,
  LABELS,
  PROVIDERS,
  withSim,
} from '../common.js';
import { steadyJob } from '../scenarios.js';
import { fixed } from '../stats.js';
import { atMost, type Row } from '../table.js';

const IDLE_TARGET: Record<BenchProvider, number> = { together: 1, openai: 2, nebius: 2 };

export async function idleRequests(ctx: BenchContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const provider of PROVIDERS) {
    ctx.progress(`requests per idle poll: ${LABELS[provider]}`);
    const scenario = neverEnding(provider);
    const { perPoll, polls, requests } = await withSim(scenario, async (sim) => {
      await runMeasured(ctx.main, {
        inputs: inputsFor(sim, scenario, {
          'poll-interval': '0.02',
          'timeout-minutes': ctx.smoke ? '0.02' : '0.05',
        }),
      });
      return idleSegment(sim);
    });
    rows.push({
      group: '1 requests per idle poll',
      case: LABELS[provider],
      result: fixed(perPoll),
      target: `≤ ${IDLE_TARGET[provider]}`,
      verdict: atMost(perPoll, IDLE_TARGET[provider]),
      detail: `${requests} requests over ${polls} idle polls`,
      strict: true,
    });
  }
  return rows;
}

/** Requests from the third job read up to (not including) the last, which a deadline may cut short. */
function idleSegment(sim: FakeProvider): { perPoll: number; polls: number; requests: number } {
  const jobReads = sim.requests.flatMap((request, index) => (request.route === 'job' ? [index] : []));
  if (jobReads.length < 5)
    throw new Error(`only ${jobReads.length} polls: the machine is too slow for this row`);
  const requests = (jobReads.at(-1) as number) - (jobReads[2] as number);
  const polls = jobReads.length - 3;
  return { perPoll: requests / polls, polls, requests };
}

interface WholeJob {
  label: string;
  scenario: (provider: ProviderName) => NamedScenario;
}

export async function wholeJobRequests(ctx: BenchContext): Promise<Row[]> {
  const n = ctx.smoke ? 2_000 : 20_000;
  const steadyPolls = ctx.smoke ? 24 : 240;
  const jobs: WholeJob[] = [
    // Two shapes of the same N: a few polls that each bring thousands of events (attaching late,
    // or a long poll-interval), and many polls that each bring a page or less (a steady run).
    { label: 'bursty', scenario: (provider) => steadyJob(provider, n, 10) },
    { label: 'steady', scenario: (provider) => steadyJob(provider, n, steadyPolls) },
  ];
  const rows: Row[] = [];
  for (const job of jobs) {
    for (const provider of PROVIDERS) {
      ctx.progress(`requests for a whole job: ${LABELS[provider]}, ${job.label}`);
      const scenario = job.scenario(provider);
      const counted = await withSim(scenario, async (sim) => {
        const { result } = await runMeasured(ctx.main, {
          inputs: inputsFor(sim, scenario, { 'poll-interval': '0.02' }),
        });
        if (result.outputs.status !== 'succeeded')
          throw new Error(`whole job ended ${result.outputs.status}`);
        return { events: Number(result.outputs['events-count']), polls: sim.count('job'), sim };
      });
      const { sim, events, polls } = counted;
      const pages = provider === 'together' ? 0 : Math.ceil(events / EVENTS_PAGE_SIZE);
      const bound = polls + pages;
      const total = sim.requests.length;
      const ratio = total / bound;
      const extras = ['checkpoints', 'metrics'] as const;
      rows.push({
        group: '2 requests for a whole job',
        case: `${LABELS[provider]}, N=${events.toLocaleString('en-US')}, ${job.label}`,
        result: `${fixed(ratio)}× bound`,
        target: '≤ 1.10×',
        verdict: ctx.smoke ? 'info' : atMost(ratio, 1.1),
        detail: `${total} requests (${sim.count('job')} job, ${sim.count('events')} events, ${extras.map((route) => `${sim.count(route)} ${route}`).join(', ')}); bound ${polls} polls + ${pages} pages = ${bound}`,
      });
    }
  }
  return rows;
}
