/**
 * Row 7: against what users write today, a bash loop of curl + jq (curl-loop.sh) that reads the
 * job's status and its events on each poll, like the action. Both run against the same kind of
 * fake job: 50 events, then idle polls, then the end. CPU per poll is differential for both (two
 * runs that differ only in the number of polls): the action's from its own getrusage (probe.mjs),
 * the loop's from bash's `times`, which is getrusage of the shell and of every child it waited
 * for (curl, jq, sleep, subshells).
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProviderName } from '../../../sim/types.js';
import { runMeasured } from '../child.js';
import { API_KEY, type BenchContext, inputsFor, LABELS, PROVIDERS, withSim } from '../common.js';
import { growingJob } from '../scenarios.js';
import { fixed, median } from '../stats.js';
import { atMost, type Row } from '../table.js';

const LOOP = fileURLToPath(new URL('../curl-loop.sh', import.meta.url));
const HISTORY = 50;
const BASE_POLLS = 5;
const INTERVAL = '0.02';
const TARGET = 0.2;

/** Tools the loop needs; null when all are there, else what is missing. */
export function missingTools(): string[] {
  return ['bash', 'curl', 'jq'].filter(
    (tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0,
  );
}

async function oursCpu(ctx: BenchContext, provider: ProviderName, polls: number): Promise<number> {
  const scenario = growingJob(provider, HISTORY, polls, 0);
  return withSim(scenario, async (sim) => {
    const { cpuMs } = await runMeasured(ctx.main, {
      inputs: inputsFor(sim, scenario, { 'poll-interval': INTERVAL }),
    });
    return cpuMs;
  });
}

async function theirsCpu(provider: ProviderName, polls: number): Promise<number> {
  const scenario = growingJob(provider, HISTORY, polls, 0);
  return withSim(scenario, async (sim) => {
    const child = spawn('bash', [LOOP, provider, sim.baseUrl, scenario.id, API_KEY, INTERVAL, '100000'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    // `times`: "0m0.004s 0m0.001s" for the shell, then the same for its children.
    const seconds = [...stderr.matchAll(/(\d+)m(\d+(?:\.\d+)?)s/g)].map(
      ([, minutes, secs]) => Number(minutes) * 60 + Number(secs),
    );
    if (code !== 0 || seconds.length !== 4)
      throw new Error(`curl loop failed (${code}): ${stderr.slice(-500)}`);
    return seconds.reduce((sum, value) => sum + value, 0) * 1000;
  });
}

export async function curlRows(ctx: BenchContext): Promise<Row[]> {
  const missing = missingTools();
  if (missing.length > 0) {
    return [
      {
        group: '7 CPU per poll vs curl + jq',
        case: 'all providers',
        result: 'not measured',
        target: `≤ ${TARGET}`,
        verdict: 'info',
        detail: `${missing.join(', ')} not found on PATH (e.g. apt-get install -y ${missing.join(' ')})`,
      },
    ];
  }
  const extra = ctx.smoke ? 10 : 40;
  const repeats = ctx.smoke ? 1 : 3;
  const rows: Row[] = [];
  for (const provider of PROVIDERS) {
    ctx.progress(`vs a curl loop: ${LABELS[provider]}`);
    const ours: number[] = [];
    const theirs: number[] = [];
    for (let i = 0; i < repeats; i++) {
      ours.push(
        ((await oursCpu(ctx, provider, BASE_POLLS + extra)) - (await oursCpu(ctx, provider, BASE_POLLS))) /
          extra,
      );
      theirs.push(
        ((await theirsCpu(provider, BASE_POLLS + extra)) - (await theirsCpu(provider, BASE_POLLS))) / extra,
      );
    }
    const oursMs = median(ours);
    const theirsMs = median(theirs);
    const ratio = oursMs / theirsMs;
    rows.push({
      group: '7 CPU per poll vs curl + jq',
      case: LABELS[provider],
      result: `${fixed(ratio, 3)}`,
      target: `≤ ${TARGET}`,
      verdict: ctx.smoke ? 'info' : atMost(ratio, TARGET),
      detail: `ours ${fixed(oursMs)} ms, curl + jq ${fixed(theirsMs, 1)} ms per poll (status + events, medians of ${repeats})`,
    });
  }
  return rows;
}
