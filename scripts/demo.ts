/**
 * `npm run demo`: watches a simulated Together fine-tune (the real quickstart run, replayed fast)
 * with the bundled action, exactly as a workflow would run it, and shows what a person sees: the
 * step's log as the runner shows it, the outputs and the job summary. Leaves nothing behind.
 * `--provider <name>` simulates another platform (Bedrock and Vertex AI with the credentials
 * their auth actions would leave); `--main <file>` runs another entry file instead of dist/index.js.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAIN, runAction } from '../sim/runner.js';
import { RunnerLogView } from '../sim/runner-log.js';
import { cloudEnv } from '../sim/cloud-env.js';
import { DEMO_API_KEY, demoProvider, startDemoJob } from '../sim/demo-job.js';
import { platformOf } from '../src/providers/index.js';

const { values } = parseArgs({ options: { main: { type: 'string' }, provider: { type: 'string' } } });
let provider: ReturnType<typeof demoProvider>;
try {
  provider = demoProvider(values.provider);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const main = values.main ?? DEFAULT_MAIN;
if (!existsSync(main)) {
  const shown = relative(process.cwd(), main);
  console.error(`${shown.startsWith('..') ? main : shown} does not exist: run \`npm run build\` first.`);
  process.exit(1);
}

const { sim, scenario } = await startDemoJob(provider);
const cloud = provider === 'bedrock' || provider === 'vertex';
const credentials = mkdtempSync(join(tmpdir(), 'ftw-demo-'));
console.log(
  `Simulated ${platformOf(provider).displayName} at ${sim.baseUrl}, accepting ${cloud ? 'the test credentials its auth action would leave' : `the API key "${DEMO_API_KEY}"`}.`,
);
console.log(`The action watches job ${scenario.id}; its log as the runner shows it:\n`);

const view = new RunnerLogView();
const show = (lines: string[]) => {
  for (const line of lines) console.log(`  ${line}`);
};
try {
  const result = await runAction({
    main,
    inputs: {
      provider,
      'job-id': scenario.id,
      'api-key': cloud ? '' : DEMO_API_KEY,
      'base-url': sim.baseUrl,
      'poll-interval': '0.25',
      summary: 'true',
    },
    env: cloudEnv(sim, credentials),
    onStdout: (chunk) => show(view.push(chunk)),
  });
  show(view.end());
  if (result.stderr) process.stderr.write(result.stderr);
  console.log('\nOutputs');
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name}=${value}`);
  console.log('\nJob summary (Markdown, as GitHub renders it on the run page):\n');
  console.log(result.summary || '(empty)');
  console.log(
    `\nExit code ${result.code ?? `none (${result.signal})`} after ${result.durationMs} ms, ${sim.requests.length} requests.`,
  );
  process.exitCode = result.code ?? 1;
  // The runner's temp folder (events file, summary) goes with the demo.
  await result.cleanup();
} finally {
  await sim.close();
  rmSync(credentials, { recursive: true, force: true });
}
