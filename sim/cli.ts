/**
 * Serves one scenario from the command line, for workflows and manual runs:
 *   npx tsx sim/cli.ts --provider together --scenario quickstart [--port N] [--api-key K] [--job-id ID]
 * Prints `base-url=…` and `job-id=…` (also appended to $GITHUB_OUTPUT when set) and serves until
 * SIGINT/SIGTERM.
 */
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SCENARIO_NAMES, scenarioByName } from './scenarios.js';
import { startFakeProvider } from './server.js';
import type { ProviderName } from './types.js';

const PROVIDERS: readonly ProviderName[] = ['together', 'openai', 'nebius'];
const DEFAULT_KEY = 'sim-key-not-secret';

/** Each read of the job moves a scenario one stage on: half a second shows it at a readable pace. */
const SUGGESTED_POLL_INTERVAL = '0.5';

const USAGE = `usage: sim --provider ${PROVIDERS.join('|')} --scenario ${SCENARIO_NAMES.join('|')}
           [--port N] [--api-key K] [--job-id ID] [--event-order asc|desc]

Serves one simulated fine-tuning job on 127.0.0.1 until stopped, and prints its base-url and job-id.
It accepts only the key given with --api-key (default: ${DEFAULT_KEY}); every read of the job
moves it one stage on, so poll it with --poll-interval ${SUGGESTED_POLL_INTERVAL} (or the action's poll-interval: ${SUGGESTED_POLL_INTERVAL}).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      provider: { type: 'string' },
      scenario: { type: 'string' },
      port: { type: 'string', default: '0' },
      'api-key': { type: 'string', default: DEFAULT_KEY },
      'job-id': { type: 'string' },
      'event-order': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const provider = values.provider as ProviderName;
  if (!PROVIDERS.includes(provider)) fail(`--provider must be one of ${PROVIDERS.join(', ')}`);
  if (!values.scenario) fail('--scenario is required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0..65535`);
  const order = values['event-order'];
  if (order !== undefined && order !== 'asc' && order !== 'desc') fail('--event-order must be asc or desc');

  let scenario: ReturnType<typeof scenarioByName>;
  try {
    scenario = scenarioByName(provider, values.scenario);
  } catch (error) {
    fail((error as Error).message);
  }
  const jobId = values['job-id'] ?? scenario.id;
  const sim = await startFakeProvider({
    provider,
    apiKey: values['api-key'],
    port,
    jobs: { [jobId]: scenario },
    ...(order === undefined ? {} : { eventOrder: order }),
  });

  const lines = `base-url=${sim.baseUrl}\njob-id=${jobId}\n`;
  // $GITHUB_OUTPUT first: a workflow step that starts the simulator in the background waits
  // for these lines on stdout and then ends, and the runner reads the outputs file right then.
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines);
  process.stdout.write(lines);
  process.stderr.write(
    `sim: ${provider} job ${jobId} (${values.scenario}) at ${sim.baseUrl}; API key ${JSON.stringify(values['api-key'])}; poll with --poll-interval ${SUGGESTED_POLL_INTERVAL}. Ctrl-C stops it.\n`,
  );

  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`sim: ${signal}, served ${sim.requests.length} requests\n`);
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
