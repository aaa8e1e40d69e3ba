/**
 * Serves one scenario from the command line, for workflows and manual runs:
 *   npx tsx sim/cli.ts --provider together --scenario quickstart [--port N] [--api-key K] [--job-id ID]
 * Prints `base-url=…` and `job-id=…` (also appended to $GITHUB_OUTPUT when set), then for Bedrock
 * and Vertex the credentials to export, and serves until SIGINT/SIGTERM.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SIM_AWS_CREDENTIALS } from './auth/sigv4.js';
import { vertexNameParts } from './render-vertex.js';
import { SCENARIO_NAMES, scenarioByName } from './scenarios.js';
import { type FakeProvider, startFakeProvider } from './server.js';
import { PROVIDER_NAMES, type ProviderName } from './types.js';
import { writeVertexCredentials } from './vertex-credentials.js';

const PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES;
const DEFAULT_KEY = 'sim-key-not-secret';
const AWS_REGION = 'us-east-1';

/** Each read of the job moves a scenario one stage on: half a second shows it at a readable pace. */
const SUGGESTED_POLL_INTERVAL = '0.5';

const USAGE = `usage: sim --provider ${PROVIDERS.join('|')} --scenario ${SCENARIO_NAMES.join('|')}
           [--port N] [--api-key K] [--job-id ID] [--event-order asc|desc] [--azure-api v1|dated]

Serves one simulated fine-tuning job on 127.0.0.1 until stopped, and prints its base-url and job-id.
What it accepts:
  together, openai, nebius, fireworks  Authorization: Bearer <--api-key> (default: ${DEFAULT_KEY})
  azure-openai                         api-key: <--api-key>; with --azure-api dated, an api-version query
  bedrock                              SigV4 (service bedrock, ${AWS_REGION}) with the AWS_* credentials it prints
  vertex                               OAuth tokens from its /token endpoint, which the credentials file
                                       it prints (GOOGLE_APPLICATION_CREDENTIALS) leads Google's libraries to
Every read of the job moves it one stage on, so poll it with --poll-interval ${SUGGESTED_POLL_INTERVAL} (or the action's poll-interval: ${SUGGESTED_POLL_INTERVAL}).`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

/** `NAME=value` lines a client exports to reach the fake, and how the start line describes them. */
function credentialsFor(
  provider: ProviderName,
  sim: FakeProvider,
  jobId: string,
  apiKey: string,
): { env: string[]; accepts: string; cleanup: () => void } {
  if (provider === 'bedrock') {
    return {
      env: [
        `AWS_ACCESS_KEY_ID=${SIM_AWS_CREDENTIALS.accessKeyId}`,
        `AWS_SECRET_ACCESS_KEY=${SIM_AWS_CREDENTIALS.secretAccessKey}`,
        `AWS_REGION=${AWS_REGION}`,
      ],
      accepts: `SigV4 signatures made with access key ${SIM_AWS_CREDENTIALS.accessKeyId} (service bedrock, ${AWS_REGION})`,
      cleanup: () => {},
    };
  }
  if (provider === 'vertex') {
    const dir = mkdtempSync(join(tmpdir(), 'ftw-sim-vertex-'));
    const file = writeVertexCredentials(dir, sim);
    return {
      env: [
        `GOOGLE_APPLICATION_CREDENTIALS=${file}`,
        `GOOGLE_CLOUD_PROJECT=${vertexNameParts(jobId)?.project ?? ''}`,
      ],
      accepts: `OAuth tokens issued by ${sim.origin}/token for the external_account credentials in ${file}`,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const header = provider === 'azure-openai' ? 'api-key header' : 'Bearer token';
  return { env: [], accepts: `API key ${JSON.stringify(apiKey)} (${header})`, cleanup: () => {} };
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
      'azure-api': { type: 'string', default: 'v1' },
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
  const azureApi = values['azure-api'];
  if (azureApi !== 'v1' && azureApi !== 'dated') fail('--azure-api must be v1 or dated');

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
    azureApi,
    ...(order === undefined ? {} : { eventOrder: order }),
  });
  const credentials = credentialsFor(provider, sim, jobId, values['api-key']);

  const lines = `base-url=${sim.baseUrl}\njob-id=${jobId}\n`;
  // $GITHUB_OUTPUT first: a workflow step that starts the simulator in the background waits
  // for these lines on stdout and then ends, and the runner reads the outputs file right then.
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, lines);
  process.stdout.write(lines + credentials.env.map((line) => `${line}\n`).join(''));
  process.stderr.write(
    `sim: ${provider} job ${jobId} (${values.scenario}) at ${sim.baseUrl}; accepts ${credentials.accepts}; poll with --poll-interval ${SUGGESTED_POLL_INTERVAL}. Ctrl-C stops it.\n`,
  );

  const stop = (signal: NodeJS.Signals) => {
    process.stderr.write(`sim: ${signal}, served ${sim.requests.length} requests\n`);
    credentials.cleanup();
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
