/**
 * Rows 3 and 4: CPU per poll as the history grows, and peak memory at the largest history.
 *
 * The action attaches to a job that already has `history` events; each following poll brings 10
 * new ones (a training run's metrics). Two runs differ only in how many such polls there are
 * before the job ends, so their CPU difference divided by the difference in polls is the cost of
 * one poll, with start-up, the first catch-up and the end (outputs, summary) subtracted away.
 * Runs alternate A, B, A, B, … and the median pair is kept, so a burst of noise on the machine
 * hits one pair, not the result.
 */
import type { ProviderName } from '../../../sim/types.js';
import { runMeasured } from '../child.js';
import { type BenchContext, type BenchProvider, inputsFor, LABELS, PROVIDERS, withSim } from '../common.js';
import { growingJob } from '../scenarios.js';
import { fixed, median } from '../stats.js';
import { atMost, type Row } from '../table.js';

const NEW_EVENTS_PER_POLL = 10;
const BASE_POLLS = 2;
/** Together reads the whole list on every poll, so fewer polls already give a clear signal. */
const EXTRA_POLLS: Record<BenchProvider, number> = { together: 20, openai: 100, nebius: 100 };
const TOGETHER_CPU_TARGET_MS = 150;
const MEMORY_TARGET_MB = 200;
/**
 * "Flat": the largest history may cost at most this much more per poll than the smallest, plus
 * FLAT_SLACK_MS, since a poll costs a couple of milliseconds and the machine's noise is about one.
 */
const FLAT_TOLERANCE = 1.5;
const FLAT_SLACK_MS = 0.5;

interface Run {
  cpuMs: number;
  maxRssMb: number;
}

async function runOnce(
  ctx: BenchContext,
  provider: ProviderName,
  history: number,
  polls: number,
): Promise<Run> {
  const scenario = growingJob(provider, history, polls, NEW_EVENTS_PER_POLL);
  return withSim(scenario, async (sim) => {
    const { result, cpuMs, maxRssMb } = await runMeasured(ctx.main, {
      inputs: inputsFor(sim, scenario, { 'poll-interval': '0.02' }),
    });
    if (result.outputs.status !== 'succeeded') throw new Error(`history run ended ${result.outputs.status}`);
    return { cpuMs, maxRssMb };
  });
}

interface PerPoll {
  cpuMs: number;
  maxRssMb: number;
  pairs: number[];
}

async function perPoll(ctx: BenchContext, provider: BenchProvider, history: number): Promise<PerPoll> {
  const extra = ctx.smoke ? Math.ceil(EXTRA_POLLS[provider] / 4) : EXTRA_POLLS[provider];
  const repeats = ctx.smoke ? 1 : 3;
  const pairs: number[] = [];
  let maxRssMb = 0;
  for (let i = 0; i < repeats; i++) {
    const a = await runOnce(ctx, provider, history, BASE_POLLS);
    const b = await runOnce(ctx, provider, history, BASE_POLLS + extra);
    pairs.push((b.cpuMs - a.cpuMs) / extra);
    maxRssMb = Math.max(maxRssMb, a.maxRssMb, b.maxRssMb);
  }
  return { cpuMs: median(pairs), maxRssMb, pairs };
}

export async function historyRows(ctx: BenchContext): Promise<Row[]> {
  const sizes = ctx.smoke ? [1_000, 10_000] : [1_000, 10_000, 100_000];
  const cpuRows: Row[] = [];
  const memoryRows: Row[] = [];
  for (const provider of PROVIDERS) {
    const results: PerPoll[] = [];
    for (const history of sizes) {
      ctx.progress(`CPU per poll: ${LABELS[provider]}, ${history.toLocaleString('en-US')} events`);
      results.push(await perPoll(ctx, provider, history));
    }
    const first = results[0] as PerPoll;
    const last = results.at(-1) as PerPoll;
    const largest = sizes.at(-1) as number;
    const growth = last.cpuMs / first.cpuMs;
    const sizeGrowth = largest / (sizes[0] as number);
    const series = results.map((r) => `${fixed(r.cpuMs)}`).join(' → ');
    const pairsShown = (r: PerPoll) => r.pairs.map((p) => fixed(p)).join(', ');
    if (provider === 'together') {
      cpuRows.push({
        group: '3 CPU per poll vs history',
        case: `${LABELS[provider]}, ${sizes.map(short).join(' → ')} events`,
        result: `${series} ms`,
        target: `< ${TOGETHER_CPU_TARGET_MS} ms at ${short(largest)}, ≤ linear`,
        // Linear: the cost may grow with the history, but no faster (× sizeGrowth, with slack).
        verdict:
          ctx.smoke || largest < 100_000
            ? 'info'
            : last.cpuMs < TOGETHER_CPU_TARGET_MS && growth <= sizeGrowth * FLAT_TOLERANCE
              ? 'met'
              : 'missed',
        detail: `grows ${fixed(growth, 1)}× for ${sizeGrowth}× the events (the job object holds the whole list); pairs at ${short(largest)}: ${pairsShown(last)}`,
      });
    } else {
      cpuRows.push({
        group: '3 CPU per poll vs history',
        case: `${LABELS[provider]}, ${sizes.map(short).join(' → ')} events`,
        result: `${series} ms`,
        target: 'flat',
        verdict: ctx.smoke
          ? 'info'
          : last.cpuMs <= first.cpuMs * FLAT_TOLERANCE + FLAT_SLACK_MS
            ? 'met'
            : 'missed',
        detail: `${fixed(growth)}× from ${short(sizes[0] as number)} to ${short(largest)} (flat: ≤ ${FLAT_TOLERANCE}× + ${FLAT_SLACK_MS} ms); pairs at ${short(largest)}: ${pairsShown(last)}`,
      });
    }
    memoryRows.push({
      group: '4 peak memory',
      case: `${LABELS[provider]}, ${short(largest)} events`,
      result: `${fixed(last.maxRssMb, 0)} MB`,
      target: `< ${MEMORY_TARGET_MB} MB`,
      verdict: ctx.smoke ? 'info' : atMost(last.maxRssMb, MEMORY_TARGET_MB - 0.5),
      detail: `peak RSS of the action's process (VmHWM); ${results.map((r, i) => `${short(sizes[i] as number)}: ${fixed(r.maxRssMb, 0)} MB`).join(', ')}`,
    });
  }
  return [...cpuRows, ...memoryRows];
}

function short(n: number): string {
  return n >= 1000 ? `${n / 1000}k` : String(n);
}
