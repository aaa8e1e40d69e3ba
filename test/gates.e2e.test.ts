/**
 * Quality gates end to end: the bundled action (`node dist/index.js`, as the runner runs it) and
 * the CLI bundle against the simulated platforms that report training metrics, each the way it
 * really does — Together's `/metrics` rows, OpenAI and Azure `metrics` events and checkpoint
 * metrics, Nebius checkpoint metrics, Bedrock's final `trainingMetrics`/`validationMetrics`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { SIM_AWS_CREDENTIALS } from '../sim/auth/sigv4.js';
import { type FakeProvider, startFakeProvider } from '../sim/server.js';
import { type ActionOnSim, actionOnSim } from './support/action-on-sim.js';
import { type CliRun, jsonLines, runCliBundle } from './support/cli.js';
import {
  GATE_PROVIDERS,
  type GateJob,
  type GateProvider,
  gateJob,
  type MetricSeries,
} from './support/gate-scenarios.js';
import { runnerCommands } from './support/runner-commands.js';

const KEY = 'sk-gates-e2e-0123456789abcdef';

const AWS_ENV = {
  AWS_ACCESS_KEY_ID: SIM_AWS_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: SIM_AWS_CREDENTIALS.secretAccessKey,
};

/** The credentials each platform reads from the environment. */
function credentialsEnv(provider: GateProvider): Record<string, string> {
  if (provider === 'bedrock') return AWS_ENV;
  const variable = provider === 'azure-openai' ? 'AZURE_OPENAI_API_KEY' : `${provider.toUpperCase()}_API_KEY`;
  return { [variable]: KEY };
}

/** How each platform names the training loss in its own rows (what the NaN warning names). */
const TRAIN_LOSS_NAME: Record<GateProvider, string> = {
  together: 'train/loss',
  openai: 'train_loss',
  nebius: 'train_loss',
  'azure-openai': 'train_loss',
  bedrock: 'train_loss',
};

interface WatchOptions {
  inputs?: Record<string, string>;
  comment?: boolean;
  /** Send NaN and Infinity as Python's json module writes them: bare, not as strings. */
  bareNonFinite?: BareNonFiniteProxy;
}

/** The bundled action on the simulated platform, fast polls, credentials as each platform takes them. */
function watch(job: GateJob, options: WatchOptions = {}): Promise<ActionOnSim> {
  const proxy = options.bareNonFinite;
  return actionOnSim(job, {
    apiKey: KEY,
    comment: options.comment ?? false,
    inputs: {
      // Bedrock signs with the AWS credentials of the environment and takes no key.
      ...(job.provider === 'bedrock' ? { 'api-key': '' } : {}),
      ...(proxy ? { 'base-url': `${proxy.origin}/v1` } : {}),
      ...options.inputs,
    },
    ...(job.provider === 'bedrock' ? { run: { env: AWS_ENV } } : {}),
    ...(proxy ? { onSim: (sim: FakeProvider) => proxy.forwardTo(sim.origin) } : {}),
  });
}

const commandsNamed = (stdout: string, name: string) =>
  runnerCommands(stdout)
    .filter((command) => command.name === name)
    .map((command) => command.line);

const gatesOf = (run: ActionOnSim) => JSON.parse(run.result.outputs.gates ?? 'null') as unknown;

/** Markdown cell text as a reader sees it: tags gone, the entities escapeText writes decoded. */
function readable(cell: string): string {
  return cell
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .trim();
}

const cellsOf = (row: string) => row.trim().slice(1, -1).split('|').map(readable);

/**
 * The quality-gates table of a summary or comment, as rows of readable cells (header and
 * separator left out); null when there is no such section.
 */
function gateTable(markdown: string): string[][] | null {
  const lines = markdown.split('\n');
  const heading = lines.indexOf('#### Quality gates');
  if (heading < 0) return null;
  const first = lines.findIndex((line, i) => i > heading && line.startsWith('|'));
  const table: string[] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    table.push(line);
  }
  expect(cellsOf(table[0] ?? '')).toEqual(['', 'Condition', 'Value']);
  return table.slice(2).map(cellsOf);
}

/** The facts table's value for `name` (Outcome, Model, …), readable. */
function fact(markdown: string, name: string): string | undefined {
  const row = markdown.split('\n').find((line) => line.startsWith(`| ${name} |`));
  return row === undefined ? undefined : cellsOf(row)[1];
}

const headlineOf = (markdown: string) => markdown.split('\n').find((line) => line.startsWith('### '));

/** Final train loss 0.8 and validation loss 1.2 after three steps; accuracy where the platform has it. */
const HEALTHY: MetricSeries = { train_loss: [2.1, 1.3, 0.8], valid_loss: [2.2, 1.6, 1.2] };

describe.each(GATE_PROVIDERS)('quality gates on %s (the action)', (provider) => {
  it('passes: succeeded, the model, and each gate with its value in outputs, summary and comment', async () => {
    const job = gateJob(provider, HEALTHY);
    const run = await watch(job, {
      comment: true,
      inputs: { require: 'valid_loss <= 1.25\n  train_loss<0.9  \n' },
    });
    expect(run.result.code).toBe(0);
    expect(run.result.outputs).toMatchObject({ status: 'succeeded', model: job.model, error: '' });
    expect(gatesOf(run)).toEqual([
      { condition: 'valid_loss <= 1.25', metric: 'valid_loss', value: 1.2, passed: true },
      { condition: 'train_loss < 0.9', metric: 'train_loss', value: 0.8, passed: true },
    ]);
    expect(commandsNamed(run.result.stdout, 'error')).toEqual([]);
    expect(commandsNamed(run.result.stdout, 'warning')).toEqual([]);
    for (const markdown of [run.result.summary, run.comment]) {
      expect(headlineOf(markdown)).toContain('✅ Fine-tune succeeded');
      expect(markdown).toContain('The model passed every gate.');
      expect(gateTable(markdown)).toEqual([
        ['✅', 'valid_loss <= 1.25', '1.2'],
        ['✅', 'train_loss < 0.9', '0.8'],
      ]);
      expect(fact(markdown, 'Model')).toBe(job.model);
    }
  });

  it('fails: rejected, exit 1, no model, the failed condition and its value in error, log, summary and comment', async () => {
    // 1.2004 rounds to 1.2: the value shown must still say why `<= 1.2` failed.
    const job = gateJob(provider, { train_loss: [2.1, 1.3, 0.8], valid_loss: [2.2, 1.6, 1.2004] });
    const run = await watch(job, {
      comment: true,
      inputs: { require: 'valid_loss <= 1.2; train_loss < 0.9' },
    });
    expect(run.result.code).toBe(1);
    expect(run.result.outputs).toMatchObject({ status: 'rejected', model: '' });
    expect(run.result.outputs.error).toBe(
      'The model did not pass its quality gates: valid_loss <= 1.2: valid_loss is 1.2004.',
    );
    expect(gatesOf(run)).toEqual([
      { condition: 'valid_loss <= 1.2', metric: 'valid_loss', value: 1.2004, passed: false },
      { condition: 'train_loss < 0.9', metric: 'train_loss', value: 0.8, passed: true },
    ]);
    const errors = commandsNamed(run.result.stdout, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error::.*rejected.*valid_loss <= 1\.2: valid_loss is 1\.2004/);
    expect(commandsNamed(run.result.stdout, 'warning')).toEqual([]);
    for (const markdown of [run.result.summary, run.comment]) {
      expect(headlineOf(markdown)).toContain('🚫 Fine-tune rejected');
      expect(fact(markdown, 'Outcome')).toBe('rejected');
      expect(markdown).toContain('The model did not pass: it is not offered for deployment.');
      expect(gateTable(markdown)).toEqual([
        ['❌', 'valid_loss <= 1.2', '1.2004'],
        ['✅', 'train_loss < 0.9', '0.8'],
      ]);
      // The job's model is named, but not as one to deploy.
      expect(markdown).not.toContain('Model to deploy');
      expect(fact(markdown, 'Model')).not.toBe(job.model);
    }
  });

  it('rejects a job that never reported a metric a gate names (value null)', async () => {
    const job = gateJob(provider, { train_loss: HEALTHY.train_loss as number[] });
    const run = await watch(job, {
      comment: true,
      inputs: { require: 'train_loss < 0.9\nvalid_loss <= 1.2' },
    });
    expect(run.result.code).toBe(1);
    expect(run.result.outputs).toMatchObject({ status: 'rejected', model: '' });
    expect(run.result.outputs.error).toBe(
      'The model did not pass its quality gates: valid_loss <= 1.2: valid_loss was never reported.',
    );
    expect(gatesOf(run)).toEqual([
      { condition: 'train_loss < 0.9', metric: 'train_loss', value: 0.8, passed: true },
      { condition: 'valid_loss <= 1.2', metric: 'valid_loss', value: null, passed: false },
    ]);
    expect(JSON.parse(run.result.outputs.metrics ?? '')).not.toHaveProperty('valid_loss');
    for (const markdown of [run.result.summary, run.comment]) {
      expect(gateTable(markdown)).toEqual([
        ['✅', 'train_loss < 0.9', '0.8'],
        ['❌', 'valid_loss <= 1.2', 'never reported'],
      ]);
    }
  });

  it('rejects a NaN loss a gate does not name, with exactly one warning naming it', async () => {
    // NaN from the second step on (Bedrock reports the final value only): one warning, not two.
    const job = gateJob(provider, { train_loss: [2.1, 'NaN', 'NaN'], valid_loss: [2.2, 1.6, 1.2] });
    const run = await watch(job, { inputs: { require: 'valid_loss <= 1.25' } });
    expect(run.result.code).toBe(1);
    expect(run.result.outputs).toMatchObject({ status: 'rejected', model: '' });
    expect(run.result.outputs.error).toMatch(
      /^The model did not pass its quality gates: .*train_loss is NaN/,
    );
    expect(run.result.outputs.error).not.toContain('valid_loss');
    expect(gatesOf(run)).toEqual([
      { condition: 'valid_loss <= 1.25', metric: 'valid_loss', value: 1.2, passed: true },
    ]);
    expect(JSON.parse(run.result.outputs.metrics ?? '')).toMatchObject({
      train_loss: 'NaN',
      valid_loss: 1.2,
    });
    const warnings = commandsNamed(run.result.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`::warning::${TRAIN_LOSS_NAME[provider]} is NaN`);
    expect(commandsNamed(run.result.stdout, 'error')).toHaveLength(1);
  });

  it('rejects a NaN loss a gate names: its value is NaN, in outputs and in the summary', async () => {
    const job = gateJob(provider, { train_loss: [2.1, 1.3, 'NaN'], valid_loss: [2.2, 1.6, 1.2] });
    const run = await watch(job, { inputs: { require: 'train_loss < 0.9' } });
    expect(run.result.code).toBe(1);
    expect(run.result.outputs.status).toBe('rejected');
    expect(run.result.outputs.error).toMatch(/train_loss < 0\.9: train_loss is NaN/);
    expect(gatesOf(run)).toEqual([
      { condition: 'train_loss < 0.9', metric: 'train_loss', value: 'NaN', passed: false },
    ]);
    expect(gateTable(run.result.summary)).toEqual([['❌', 'train_loss < 0.9', 'NaN']]);
    expect(commandsNamed(run.result.stdout, 'warning')).toHaveLength(1);
  });

  it('warns once about a NaN loss without `require`, and the job still succeeds', async () => {
    const job = gateJob(provider, { train_loss: [2.1, 'NaN', 'NaN'], valid_loss: [2.2, 1.6, 1.2] });
    const run = await watch(job);
    expect(run.result.code).toBe(0);
    expect(run.result.outputs).toMatchObject({
      status: 'succeeded',
      model: job.model,
      error: '',
      gates: '[]',
    });
    const warnings = commandsNamed(run.result.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`::warning::${TRAIN_LOSS_NAME[provider]} is NaN`);
    expect(gateTable(run.result.summary)).toBeNull();
  });

  it("with `fail-on: ''` a rejected job is reported, and the step does not fail", async () => {
    const job = gateJob(provider, HEALTHY);
    const run = await watch(job, { inputs: { require: 'valid_loss < 1', 'fail-on': '' } });
    expect(run.result.code).toBe(0);
    expect(run.result.outputs).toMatchObject({ status: 'rejected', model: '' });
    expect(run.result.outputs.error).toContain('valid_loss < 1: valid_loss is 1.2');
    expect(gatesOf(run)).toEqual([
      { condition: 'valid_loss < 1', metric: 'valid_loss', value: 1.2, passed: false },
    ]);
    expect(gateTable(run.result.summary)).toEqual([['❌', 'valid_loss < 1', '1.2']]);
  });
});

describe('quality gates: what each platform reports', () => {
  it('gates on any metric the platform names, `>` and `>=` included (OpenAI accuracy)', async () => {
    const job = gateJob('openai', { ...HEALTHY, valid_mean_token_accuracy: [0.41, 0.58, 0.66] });
    const run = await watch(job, {
      inputs: { require: 'valid_mean_token_accuracy >= 0.66; valid_mean_token_accuracy > 0.7' },
    });
    expect(run.result.outputs.status).toBe('rejected');
    expect(gatesOf(run)).toEqual([
      {
        condition: 'valid_mean_token_accuracy >= 0.66',
        metric: 'valid_mean_token_accuracy',
        value: 0.66,
        passed: true,
      },
      {
        condition: 'valid_mean_token_accuracy > 0.7',
        metric: 'valid_mean_token_accuracy',
        value: 0.66,
        passed: false,
      },
    ]);
  });

  it("gates on Together's own names too (`eval/loss`)", async () => {
    const job = gateJob('together', HEALTHY);
    const run = await watch(job, { inputs: { require: 'eval/loss <= 1.2' } });
    expect(run.result.outputs.status).toBe('succeeded');
    expect(gatesOf(run)).toEqual([
      { condition: 'eval/loss <= 1.2', metric: 'eval/loss', value: 1.2, passed: true },
    ]);
  });

  it('rejects an infinite validation loss with one warning naming it (Azure)', async () => {
    const job = gateJob('azure-openai', {
      train_loss: [2.1, 1.3, 0.8],
      valid_loss: [2.2, 'Infinity', 'Infinity'],
    });
    const run = await watch(job, { inputs: { require: 'train_loss < 0.9' } });
    expect(run.result.outputs.status).toBe('rejected');
    expect(run.result.outputs.error).toContain('valid_loss is Infinity');
    const warnings = commandsNamed(run.result.stdout, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('::warning::valid_loss is Infinity');
  });

  it.each(['together', 'openai', 'nebius'] as const)(
    "%s: a NaN written as Python's json writes it (bare, not JSON) rejects, with one warning",
    async (provider) => {
      const proxy = await bareNonFiniteProxy();
      const job = gateJob(provider, { train_loss: [2.1, 'NaN', 'NaN'], valid_loss: [2.2, 1.6, 1.2] });
      const run = await watch(job, { bareNonFinite: proxy, inputs: { require: 'valid_loss <= 1.25' } });
      // The test is about bare NaN: the platform's answers really carried it.
      expect(proxy.rewritten()).toBeGreaterThan(0);
      expect(run.result.code).toBe(1);
      expect(run.result.outputs.status).toBe('rejected');
      expect(run.result.outputs.error).toContain('train_loss is NaN');
      const warnings = commandsNamed(run.result.stdout, 'warning');
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`::warning::${TRAIN_LOSS_NAME[provider]} is NaN`);
    },
  );
});

describe('quality gates: a `require` that does not parse', () => {
  it.each([
    ['valid_loss =< 1', 'valid_loss =< 1'],
    ['loss < abc', 'loss < abc'],
    ['train_loss < 0.9\nvalid_loss =< 1', 'valid_loss =< 1'],
    ['train_loss < 0.9; loss < abc ;', 'loss < abc'],
  ])('%j: one message naming the line and a valid example, before any request', async (text, bad) => {
    for (const provider of ['openai', 'bedrock'] as const) {
      const run = await watch(gateJob(provider, HEALTHY), { comment: true, inputs: { require: text } });
      expect(run.result.code).toBe(1);
      expect(run.sim.requests).toEqual([]);
      expect(run.github?.requests).toEqual([]);
      expect(run.result.outputs.status ?? '').toBe('');
      const errors = commandsNamed(run.result.stdout, 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('`require`');
      expect(errors[0]).toContain(JSON.stringify(bad));
      expect(errors[0]).toContain('e.g. `valid_loss <= 1.2`');
      expect(run.result.outputs).toMatchObject({ error: errors[0]?.slice('::error::'.length), gates: '[]' });
      const summary = readable(run.result.summary);
      expect(summary).toContain('did not start: the inputs need fixing');
      expect(summary).toContain(JSON.stringify(bad));
      expect(summary).toContain('e.g. `valid_loss <= 1.2`');
      // Nothing else is blamed: no other condition, no job.
      const others = text.split(/[\n;]/).map((piece) => piece.trim());
      for (const good of others.filter((piece) => piece !== '' && piece !== bad))
        expect(errors[0]).not.toContain(good);
    }
  });
});

// The CLI: a temp dir per run for its events file, removed afterwards.
const tempDirs: string[] = [];
const sims: FakeProvider[] = [];
afterEach(async () => {
  for (const sim of sims.splice(0)) await sim.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function cliOnSim(
  job: GateJob,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ run: CliRun; sim: FakeProvider }> {
  const sim = await startFakeProvider({ provider: job.provider, apiKey: KEY, jobs: { [job.id]: job } });
  sims.push(sim);
  const dir = mkdtempSync(join(tmpdir(), 'ftw-gates-cli-'));
  tempDirs.push(dir);
  const run = await runCliBundle(
    [
      '--provider',
      job.provider,
      '--job-id',
      job.id,
      '--base-url',
      sim.baseUrl,
      '--poll-interval',
      '0.02',
      ...args,
    ],
    { env: { TMPDIR: dir, ...credentialsEnv(job.provider), ...env } },
  );
  return { run, sim };
}

const FAILING = { train_loss: [2.1, 1.3, 0.8], valid_loss: [2.2, 1.6, 1.2004] } satisfies MetricSeries;

/** The rows under the CLI's `Result:` line, as [name, value]: `  gate         FAIL valid_loss <= 1.2 (1.31)`. */
function resultRows(stdout: string): [string, string][] {
  const lines = stdout.split('\n');
  const result = lines.findIndex((line) => line.startsWith('Result: '));
  expect(result, 'no Result: line').toBeGreaterThanOrEqual(0);
  return lines
    .slice(result + 1)
    .map((line) => /^ {2}(\S.{11}) (.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [(match[1] ?? '').trim(), match[2] ?? '']);
}

const rowsNamed = (stdout: string, name: string) =>
  resultRows(stdout)
    .filter(([row]) => row === name)
    .map(([, value]) => value);

describe.each(GATE_PROVIDERS)('quality gates on %s (the CLI)', (provider) => {
  it('--require: a line per gate, and exit 1 when rejected', async () => {
    const job = gateJob(provider, FAILING);
    const { run } = await cliOnSim(job, ['--require', 'valid_loss <= 1.2; train_loss < 0.9']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Result: rejected\b/m);
    expect(rowsNamed(run.stdout, 'gate')).toEqual([
      'FAIL valid_loss <= 1.2 (1.2004)',
      'pass train_loss < 0.9 (0.8)',
    ]);
    expect(rowsNamed(run.stdout, 'error')).toEqual([
      'The model did not pass its quality gates: valid_loss <= 1.2: valid_loss is 1.2004.',
    ]);
    expect(rowsNamed(run.stdout, 'model')).toEqual([]);
  });

  it('FTW_REQUIRE: the same gates from the environment; a job that passes exits 0 with its model', async () => {
    const job = gateJob(provider, HEALTHY);
    const { run } = await cliOnSim(job, [], { FTW_REQUIRE: 'valid_loss <= 1.2\ntrain_loss < 0.9' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Result: succeeded\b/m);
    expect(rowsNamed(run.stdout, 'gate')).toEqual([
      'pass valid_loss <= 1.2 (1.2)',
      'pass train_loss < 0.9 (0.8)',
    ]);
    expect(rowsNamed(run.stdout, 'model')).toEqual([job.model]);

    const rejected = await cliOnSim(gateJob(provider, FAILING), [], { FTW_REQUIRE: 'valid_loss <= 1.2' });
    expect(rejected.run.code).toBe(1);
    expect(rowsNamed(rejected.run.stdout, 'gate')).toEqual(['FAIL valid_loss <= 1.2 (1.2004)']);
  });

  it('--json: the result record carries the gates, the outcome and exit code 1', async () => {
    const job = gateJob(provider, FAILING);
    const { run } = await cliOnSim(job, ['--json', '--require', 'valid_loss <= 1.2']);
    expect(run.code).toBe(1);
    const records = jsonLines(run.stdout);
    const result = records.at(-1) as { kind: string; exit_code: number; outputs: Record<string, string> };
    expect(result.kind).toBe('result');
    expect(result.exit_code).toBe(1);
    expect(result.outputs).toMatchObject({ status: 'rejected', model: '' });
    expect(JSON.parse(result.outputs.gates ?? '')).toEqual([
      { condition: 'valid_loss <= 1.2', metric: 'valid_loss', value: 1.2004, passed: false },
    ]);
    expect(result.outputs.error).toContain('valid_loss <= 1.2: valid_loss is 1.2004');
  });
});

describe('quality gates: the CLI with a `--require` that does not parse', () => {
  it.each([
    [['--require', 'valid_loss =< 1'], {}, '--require'],
    [[], { FTW_REQUIRE: 'loss < abc' }, 'FTW_REQUIRE'],
  ] as const)('%j %j: a usage error naming the condition, before any request', async (args, env, source) => {
    const { run, sim } = await cliOnSim(gateJob('openai', HEALTHY), args, env);
    expect(run.code).toBe(2);
    expect(sim.requests).toEqual([]);
    expect(run.stdout).toBe('');
    const bad = args[1] ?? (env as { FTW_REQUIRE?: string }).FTW_REQUIRE ?? '';
    expect(run.stderr).toContain(source);
    expect(run.stderr).toContain(JSON.stringify(bad));
    expect(run.stderr).toContain('e.g. `valid_loss <= 1.2`');
  });
});

interface BareNonFiniteProxy {
  origin: string;
  forwardTo(origin: string): void;
  /** How many "NaN"/"Infinity" strings were turned into bare tokens so far. */
  rewritten(): number;
}

/**
 * A reverse proxy that forwards to the sim and writes the JSON strings "NaN", "Infinity" and
 * "-Infinity" bare, as Python's json.dumps does with a float that diverged: the body is then not
 * strict JSON, as a Python-served platform's is.
 */
async function bareNonFiniteProxy(): Promise<BareNonFiniteProxy> {
  let target: URL | null = null;
  let rewrites = 0;
  const server = createServer((req, res) => {
    if (!target) {
      res.writeHead(502).end('no target');
      return;
    }
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks)
            .toString('utf8')
            .replace(/"(NaN|-?Infinity)"/g, (_, word: string) => {
              rewrites++;
              return word;
            });
          const headers = { ...answer.headers, 'content-length': String(Buffer.byteLength(body)) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    forwardTo: (origin) => {
      target = new URL(origin);
    },
    rewritten: () => rewrites,
  };
}
