/**
 * Runs the bundled action as a child process exactly as the runner does (sim/runner.ts), and
 * measures it: CPU and peak RSS come from the child's own getrusage, written at exit by a
 * preloaded probe (probe.mjs); request counts come from the fake server.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { type RunActionOptions, type RunActionResult, runAction } from '../../sim/runner.js';

const PROBE = new URL('./probe.mjs', import.meta.url).href;

export interface Measured {
  result: RunActionResult;
  /** User + system CPU of the action's process, milliseconds. */
  cpuMs: number;
  maxRssMb: number;
}

/**
 * Runs the action once. Its outputs must have been written (any outcome): a run that crashed
 * before is an error, not a data point.
 */
export async function runMeasured(main: string, options: RunActionOptions): Promise<Measured> {
  const dir = await mkdtemp(join(tmpdir(), 'ftw-bench-'));
  const probeFile = join(dir, 'usage.json');
  try {
    await waitForBundle(main);
    const result = await runAction({
      timeoutMs: 300_000,
      ...options,
      main,
      env: {
        ...options.env,
        NODE_OPTIONS: `--import ${JSON.stringify(PROBE)}`,
        BENCH_PROBE_FILE: probeFile,
      },
    });
    await result.cleanup();
    if (result.outputs.status === undefined || !existsSync(probeFile)) {
      throw new Error(
        `the action ended with ${result.code ?? result.signal} and no outputs:\n${result.stderr.slice(-2000)}${result.stdout.slice(-2000)}`,
      );
    }
    const usage = JSON.parse(await readFile(probeFile, 'utf8')) as { cpuUs: number; maxRssKb: number };
    return { result, cpuMs: usage.cpuUs / 1000, maxRssMb: usage.maxRssKb / 1024 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** `npm run build` deletes dist/ before writing it again: wait out a build running alongside. */
export async function waitForBundle(main: string): Promise<void> {
  for (let waited = 0; !existsSync(main); waited += 1) {
    if (waited >= 120) throw new Error(`${main} is missing: run \`npm run build\``);
    await sleep(1000);
  }
}
