/**
 * `npm run demo`: watches a simulated Together fine-tune (the real quickstart run, replayed fast)
 * with the bundled action, exactly as a workflow would run it, and shows what it produced.
 * `--main <file>` runs another entry file instead of dist/index.js.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MAIN, runAction } from '../sim/runner.js';
import { togetherQuickstart } from '../sim/scenarios.js';
import { startFakeProvider } from '../sim/server.js';

const API_KEY = 'demo-key-not-secret';

const { values } = parseArgs({ options: { main: { type: 'string' } } });
const main = values.main ?? DEFAULT_MAIN;
if (!existsSync(main)) {
  const shown = relative(process.cwd(), main);
  console.error(`${shown.startsWith('..') ? main : shown} does not exist: run \`npm run build\` first.`);
  process.exit(1);
}

const scenario = togetherQuickstart();
const sim = await startFakeProvider({
  provider: 'together',
  apiKey: API_KEY,
  jobs: { [scenario.id]: scenario },
});
console.log(`Simulated Together AI at ${sim.baseUrl}, job ${scenario.id}\n`);

try {
  const result = await runAction({
    main,
    stdio: 'inherit',
    inputs: {
      provider: 'together',
      'job-id': scenario.id,
      'api-key': API_KEY,
      'base-url': sim.baseUrl,
      'poll-interval': '0.25',
      summary: 'true',
    },
  });
  console.log('\nOutputs');
  for (const [name, value] of Object.entries(result.outputs)) console.log(`  ${name}=${value}`);
  console.log(`\nSummary (${result.summaryFile}):\n`);
  console.log(result.summary || '(empty)');
  console.log(
    `\nExit code ${result.code ?? `none (${result.signal})`} after ${result.durationMs} ms, ${sim.requests.length} requests.`,
  );
  process.exitCode = result.code ?? 1;
} finally {
  await sim.close();
}
