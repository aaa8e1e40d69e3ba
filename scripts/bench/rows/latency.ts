/**
 * Row 6: detection latency. The job turns final on the fake server at the worst moment, just
 * after a poll has read it still running; the latency is from then to the action's process
 * exiting (its outputs and summary written), as a multiple of poll-interval. A fixed interval
 * cannot do better than one interval here; what the row checks is everything after it: the
 * read that sees the end, the trailing reads, outputs, summary and exit.
 */
import type { ProviderName, Stage } from '../../../sim/types.js';
import { runMeasured } from '../child.js';
import { type BenchContext, inputsFor, LABELS, PROVIDERS, withSim } from '../common.js';
import { stagedJob } from '../scenarios.js';
import { fixed, median } from '../stats.js';
import { type Row } from '../table.js';

/** The job ends right after this read of the job object. */
const FLIP_AFTER_JOB_READ = 3;
const SLACK_MS = 300;

async function latencyOnce(ctx: BenchContext, provider: ProviderName, intervalMs: number): Promise<number> {
  const scenario = stagedJob(provider, [20]);
  const final = scenario.stages.at(-1) as Stage;
  let flippedAt = Number.NaN;
  let jobReads = 0;
  const finishedAt = await withSim(
    scenario,
    async (sim) => {
      sim.setFault((request) => {
        if (request.route !== 'job' || ++jobReads !== FLIP_AFTER_JOB_READ) return undefined;
        // Once this reply is written, the job was seen running; it ends now. Only its status
        // (and result fields) change, no final event, so nothing but the next read of the job
        // can see the end: reads later in this same poll find nothing new.
        setImmediate(() => {
          sim.setStatus(scenario.id, final.status, final.job);
          flippedAt = performance.now();
        });
        return undefined;
      });
      const { result } = await runMeasured(ctx.main, {
        inputs: inputsFor(sim, scenario, { 'poll-interval': String(intervalMs / 1000) }),
      });
      if (result.outputs.status !== 'succeeded')
        throw new Error(`latency run ended ${result.outputs.status}`);
      return performance.now();
    },
    { advanceOn: 'manual' },
  );
  return finishedAt - flippedAt;
}

export async function latencyRows(ctx: BenchContext): Promise<Row[]> {
  const intervalMs = ctx.smoke ? 500 : 2000;
  const trials = ctx.smoke ? 1 : 3;
  const rows: Row[] = [];
  for (const provider of PROVIDERS) {
    ctx.progress(`detection latency: ${LABELS[provider]}`);
    const latencies: number[] = [];
    for (let i = 0; i < trials; i++) latencies.push(await latencyOnce(ctx, provider, intervalMs));
    const worst = Math.max(...latencies);
    rows.push({
      group: '6 detection latency',
      case: `${LABELS[provider]}, poll-interval ${intervalMs / 1000} s`,
      result: `${fixed(worst / intervalMs)}× interval`,
      target: `≤ 1.0× + ${SLACK_MS / 1000} s`,
      verdict: ctx.smoke ? 'info' : worst <= intervalMs + SLACK_MS ? 'met' : 'missed',
      detail: `worst of ${trials}: ${fixed(worst, 0)} ms, i.e. the interval + ${fixed(worst - intervalMs, 0)} ms (median ${fixed(median(latencies), 0)} ms); ended just after a poll`,
    });
  }
  return rows;
}
