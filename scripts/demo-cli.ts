/**
 * `npm run demo:cli`: the bundled command line (dist/cli/index.js) watching a simulated Together
 * fine-tune, in this terminal, so colours and the progress line show as users see them.
 * Extra arguments go to the CLI: `npm run demo:cli -- --json`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEMO_API_KEY, startDemoJob } from '../sim/demo-job.js';

const CLI = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));

if (!existsSync(CLI)) {
  console.error('dist/cli/index.js does not exist: run `npm run build` first.');
  process.exit(1);
}

const { sim, scenario } = await startDemoJob();
const args = ['--provider', 'together', '--job-id', scenario.id, '--base-url', sim.baseUrl];
args.push('--poll-interval', '0.4', ...process.argv.slice(2));
console.error(`$ TOGETHER_API_KEY=${DEMO_API_KEY} fine-tune-watch ${args.join(' ')}\n`);

const child = spawn(process.execPath, [CLI, ...args], {
  stdio: 'inherit',
  env: { ...process.env, TOGETHER_API_KEY: DEMO_API_KEY },
});
// Ctrl-C reaches the CLI too (same process group); it stops cleanly and exits 130.
process.on('SIGINT', () => {});
const code = await new Promise<number>((resolve) => child.once('close', (exit) => resolve(exit ?? 1)));
await sim.close();
console.error(`\nfine-tune-watch exited with ${code}.`);
process.exitCode = code;
