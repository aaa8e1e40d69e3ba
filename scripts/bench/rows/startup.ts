/**
 * Row 5: start-up. `node dist/index.js` with `wait: false` on a job that has already finished
 * (one look, outputs, summary, exit), against `node -e 0`, as a ratio of wall-clock medians. Also
 * timed: the floor, a bare script doing one fetch of the job. Runs are interleaved (bare, floor,
 * then the action on each provider) so that noise on the machine hits every column alike.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputDefaults } from '../../../sim/action-defaults.js';
import { DEFAULT_ACTION_YML, inputEnvName } from '../../../sim/runner.js';
import {
  bedrockCompleted,
  nebiusCookbook,
  openaiCookbook,
  togetherQuickstart,
  vertexSucceeded,
} from '../../../sim/scenarios.js';
import { type FakeProvider, startFakeProvider } from '../../../sim/server.js';
import type { NamedScenario, ProviderName } from '../../../sim/types.js';
import { waitForBundle } from '../child.js';
import { API_KEY, type BenchContext, cloudEnv, inputsFor, LABELS, PROVIDERS } from '../common.js';
import { fixed, median } from '../stats.js';
import { atMost, type Row } from '../table.js';

const TARGET_RATIO = 3.0;
/**
 * The cloud platforms, timed alongside: their SDKs (credential chain and signer, or
 * google-auth-library) load only for them, so they show what that costs; no target of their own.
 */
const CLOUDS = ['bedrock', 'vertex'] as const;

/** Wall-clock milliseconds from spawn to exit. */
function timeProcess(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // stdout is not read: the action's log goes to /dev/null, as fast as a runner could take it.
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const elapsed = performance.now() - started;
      // `node -e 0` and the floor exit 0; the action exits 0 too (the job succeeded).
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${args.join(' ').slice(0, 80)} exited with ${code}: ${stderr.slice(-1000)}`));
    });
  });
}

const isProvider = (name: ProviderName): name is (typeof PROVIDERS)[number] =>
  (PROVIDERS as readonly string[]).includes(name);

function finishedJob(provider: ProviderName): NamedScenario {
  if (provider === 'together') return togetherQuickstart();
  if (provider === 'bedrock') return bedrockCompleted();
  if (provider === 'vertex') return vertexSucceeded();
  return provider === 'openai' ? openaiCookbook() : nebiusCookbook();
}

/** The variables the runner sets that the action reads, plus its inputs with action.yml's defaults. */
function runnerEnv(
  dir: string,
  inputs: Record<string, string>,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...extra,
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
  };
  for (const [name, value] of Object.entries({ ...readInputDefaults(DEFAULT_ACTION_YML), ...inputs }))
    env[inputEnvName(name)] = value;
  return env;
}

export async function startupRows(ctx: BenchContext): Promise<Row[]> {
  const repeats = ctx.smoke ? 3 : 21;
  const dir = await mkdtemp(join(tmpdir(), 'ftw-bench-startup-'));
  const sims: FakeProvider[] = [];
  try {
    const envs = new Map<ProviderName, NodeJS.ProcessEnv>();
    let jobUrl = '';
    const timed = [...PROVIDERS, ...CLOUDS];
    for (const provider of timed) {
      const scenario = finishedJob(provider);
      const sim = await startFakeProvider({
        provider,
        apiKey: API_KEY,
        jobs: { [scenario.id]: scenario },
        advanceOn: 'manual',
      });
      sims.push(sim);
      while (sim.advance(scenario.id));
      envs.set(provider, runnerEnv(dir, inputsFor(sim, scenario, { wait: 'false' }), cloudEnv(sim, dir)));
      if (provider === 'openai') jobUrl = `${sim.baseUrl}/fine_tuning/jobs/${scenario.id}`;
    }
    const plainEnv = { PATH: process.env.PATH, HOME: process.env.HOME };
    const floorScript = `fetch(${JSON.stringify(jobUrl)}, { headers: { authorization: 'Bearer ${API_KEY}' } }).then((r) => r.text())`;
    const bare: number[] = [];
    const floor: number[] = [];
    const action = new Map<ProviderName, number[]>(timed.map((p) => [p, []]));
    const baseline = new Map<ProviderName, number[]>(PROVIDERS.map((p) => [p, []]));
    // One unrecorded round warms the file cache.
    for (let round = -1; round < repeats; round++) {
      if (round % 5 === 0) ctx.progress(`start-up: round ${round + 1} of ${repeats}`);
      const b = await timeProcess(['-e', '0'], plainEnv);
      const f = await timeProcess(['-e', floorScript], plainEnv);
      for (const provider of timed) {
        await writeFile(join(dir, 'output'), '');
        await writeFile(join(dir, 'summary'), '');
        await waitForBundle(ctx.main);
        const a = await timeProcess([ctx.main], envs.get(provider) as NodeJS.ProcessEnv);
        if (round >= 0) action.get(provider)?.push(a);
        if (ctx.baseline && isProvider(provider)) {
          const before = await timeProcess([ctx.baseline], envs.get(provider) as NodeJS.ProcessEnv);
          if (round >= 0) baseline.get(provider)?.push(before);
        }
      }
      if (round >= 0) {
        bare.push(b);
        floor.push(f);
      }
    }
    const bareMs = median(bare);
    const floorRatio = median(floor) / bareMs;
    const rows: Row[] = timed.map((provider) => {
      const actionMs = median(action.get(provider) as number[]);
      const ratio = actionMs / bareMs;
      const cloud = (CLOUDS as readonly string[]).includes(provider);
      return {
        group: '5 start-up vs node -e 0',
        case: `${LABELS[provider]}, wait: false, finished job${cloud ? ' (cloud SDK loaded)' : ''}`,
        result: `${fixed(ratio)}×`,
        target: cloud ? '' : `≤ ${TARGET_RATIO}×`,
        verdict: ctx.smoke || cloud ? 'info' : atMost(ratio, TARGET_RATIO),
        detail: `${fixed(actionMs, 1)} ms vs ${fixed(bareMs, 1)} ms (medians of ${repeats}); floor, one fetch: ${fixed(floorRatio)}×`,
      };
    });
    if (ctx.baseline) {
      for (const provider of PROVIDERS) {
        const beforeMs = median(baseline.get(provider) as number[]);
        const afterMs = median(action.get(provider) as number[]);
        rows.push({
          group: '5 start-up vs node -e 0',
          case: `${LABELS[provider]}, the --baseline bundle, same rounds`,
          result: `${fixed(beforeMs / bareMs)}×`,
          target: '',
          verdict: 'info',
          detail: `${fixed(beforeMs, 1)} ms; this bundle ${fixed(afterMs, 1)} ms (${afterMs <= beforeMs ? '−' : '+'}${fixed(Math.abs(afterMs - beforeMs), 1)} ms)`,
        });
      }
    }
    return rows;
  } finally {
    await Promise.all(sims.map((sim) => sim.close()));
    await rm(dir, { recursive: true, force: true });
  }
}
