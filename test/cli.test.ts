import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cancelledJob,
  neverEnding,
  openaiCookbook,
  openaiFailure,
  togetherQuickstart,
} from '../sim/scenarios.js';
import { type FakeProvider, type FaultHook, startFakeProvider } from '../sim/server.js';
import type { NamedScenario } from '../sim/types.js';
import { CLI_INPUTS, envNameOf } from '../src/cli/args.js';
import { Output } from '../src/constants.js';
import packageJson from '../package.json' with { type: 'json' };
import { type CliRun, type CliRunOptions, jsonLines, runCliBundle } from './support/cli.js';

const KEY = 'sk-cli-test-0123456789';
const open: FakeProvider[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const sim of open.splice(0)) await sim.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function simOf(scenario: NamedScenario, fault?: FaultHook): Promise<FakeProvider> {
  const sim = await startFakeProvider({
    provider: scenario.provider,
    apiKey: KEY,
    jobs: { [scenario.id]: scenario },
    ...(fault && { fault }),
  });
  open.push(sim);
  return sim;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-cli-'));
  tempDirs.push(dir);
  return dir;
}

/** The CLI against a simulated provider, fast polls, events file in a temp dir of its own. */
async function watch(
  scenario: NamedScenario,
  sim: FakeProvider,
  extraArgs: string[] = [],
  options: CliRunOptions = {},
): Promise<CliRun> {
  const dir = tempDir();
  return runCliBundle(
    [
      '--provider',
      scenario.provider,
      '--job-id',
      scenario.id,
      '--base-url',
      sim.baseUrl,
      '--poll-interval',
      '0.02',
      ...extraArgs,
    ],
    { ...options, env: { TMPDIR: dir, [`${scenario.provider.toUpperCase()}_API_KEY`]: KEY, ...options.env } },
  );
}

const messagesOf = (scenario: NamedScenario) =>
  scenario.stages.flatMap((stage) => stage.events ?? []).map((event) => event.message);

const lastRecord = (run: CliRun) => jsonLines(run.stdout).at(-1) as Record<string, unknown>;

describe('fine-tune-watch --help and --version', () => {
  it('lists every flag with its environment variable, and the exit codes', async () => {
    const run = await runCliBundle(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const input of CLI_INPUTS) {
      expect(run.stdout, input).toMatch(new RegExp(`--(no-)?${input}\\b`));
      expect(run.stdout, input).toContain(envNameOf(input));
    }
    for (const code of [0, 1, 2, 3, 4, 130]) expect(run.stdout).toMatch(new RegExp(`^  ${code} +\\S`, 'm'));
  });

  it('documents in the README the exit codes --help lists', async () => {
    const help = (await runCliBundle(['--help'])).stdout;
    const helpCodes = [...help.matchAll(/^ {2}(\d+) {2,}\S/gm)].map((match) => match[1]);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.split('\n## Command line\n')[1]?.split('\n## ')[0] ?? '';
    const readmeCodes = [...section.matchAll(/^\| `(\d+)` +\|/gm)].map((match) => match[1]);
    expect(readmeCodes).toEqual(helpCodes);
    expect(helpCodes).toEqual(['0', '1', '2', '3', '4', '130']);
  });

  it('prints the package version', async () => {
    const run = await runCliBundle(['--version']);
    expect(run).toMatchObject({ code: 0, stdout: `${packageJson.version}\n` });
  });
});

describe('fine-tune-watch, human output', () => {
  it('streams each event once, oldest first, and ends with the result (exit 0)', async () => {
    const scenario = togetherQuickstart();
    const run = await watch(scenario, await simOf(scenario));
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    let from = 0;
    for (const message of messagesOf(scenario)) {
      expect(run.stdout.split(message).length - 1, message).toBe(1);
      const at = run.stdout.indexOf(message);
      expect(at, `${message} in order`).toBeGreaterThan(from);
      from = at;
    }
    expect(run.stdout).toMatch(/^Result: succeeded \(completed\) after /m);
    expect(run.stdout).toMatch(/^ {2}model {8}yourname\/Meta-Llama-3\.1-8B-Instruct-Reference-ft-/m);
    // Not a terminal: no colours, no progress line.
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout).not.toContain('\r');
    const eventsFile = /all in (\S+)$/m.exec(run.stdout)?.[1] ?? '';
    expect(readFileSync(eventsFile, 'utf8').trim().split('\n')).toHaveLength(15);
  });

  it('exits 1 on a failed job and prints the provider’s reason', async () => {
    const scenario = openaiFailure();
    const run = await watch(scenario, await simOf(scenario));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Result: failed \(failed\)/m);
    expect(run.stdout).toMatch(/^ {2}error {8}\S/m);
  });

  it('exits 1 on a cancelled job', async () => {
    const scenario = cancelledJob('together');
    const run = await watch(scenario, await simOf(scenario));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^Result: cancelled/m);
  });

  it('exits 0 on a failed job when --fail-on is empty', async () => {
    const scenario = openaiFailure();
    const run = await watch(scenario, await simOf(scenario), ['--fail-on', '']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Result: failed/m);
  });

  it('reads every input from FTW_* variables when no flag is given', async () => {
    const scenario = openaiCookbook();
    const sim = await simOf(scenario);
    const run = await runCliBundle([], {
      env: {
        FTW_PROVIDER: 'openai',
        FTW_JOB_ID: scenario.id,
        FTW_BASE_URL: sim.baseUrl,
        FTW_POLL_INTERVAL: '0.02',
        FTW_API_KEY: KEY,
        TMPDIR: tempDir(),
      },
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Result: succeeded/m);
  });
});

describe('fine-tune-watch --json', () => {
  it('writes NDJSON: status, each event once, then a result with the action’s outputs', async () => {
    const scenario = togetherQuickstart();
    const run = await watch(scenario, await simOf(scenario), ['--json']);
    expect(run.code).toBe(0);
    const records = jsonLines(run.stdout);
    const kinds = new Set(records.map((record) => record.kind));
    expect([...kinds].sort()).toEqual(['event', 'log', 'result', 'status']);
    const events = records.filter((record) => record.kind === 'event');
    expect(events.map((event) => event.message)).toEqual(messagesOf(scenario));
    expect(Object.keys(events[0] ?? {}).sort()).toEqual([
      'created_at',
      'job_id',
      'kind',
      'level',
      'message',
      'type',
    ]);
    expect(
      records
        .filter((record) => record.kind !== 'log' && record.kind !== 'result')
        .every((record) => record.job_id === scenario.id),
    ).toBe(true);
    const statuses = records.filter((record) => record.kind === 'status').map((r) => r.provider_status);
    expect(statuses[0]).toBe('pending');
    expect(statuses.at(-1)).toBe('completed');
    const result = records.at(-1) as { kind: string; exit_code: number; outputs: Record<string, string> };
    expect(result).toMatchObject({ kind: 'result', exit_code: 0 });
    expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'events-count': '15',
      'job-id': scenario.id,
    });
    expect(JSON.parse(result.outputs.checkpoints ?? '')).toHaveLength(3);
  });

  it('exits 0 with outcome `running` after one check with --no-wait', async () => {
    const scenario = neverEnding('nebius');
    const sim = await simOf(scenario);
    const run = await watch(scenario, sim, ['--json', '--no-wait']);
    expect(run.code).toBe(0);
    expect(lastRecord(run)).toMatchObject({ exit_code: 0, outputs: { status: 'running' } });
    expect(sim.count('job')).toBe(1);
  });

  it('exits 1 for `running` when --fail-on lists it, and the last --wait/--no-wait wins', async () => {
    const scenario = neverEnding('openai');
    const run = await watch(scenario, await simOf(scenario), [
      '--json',
      '--wait',
      '--no-wait',
      '--fail-on',
      'running',
    ]);
    expect(run.code).toBe(1);
    expect(lastRecord(run)).toMatchObject({ exit_code: 1, outputs: { status: 'running' } });
  });
});

describe('through npm run', () => {
  it('gives NDJSON only on stdout: no npm banner before it', { timeout: 60_000 }, async () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    const child = spawn('npm', ['run', 'demo:cli', '--', '--json', '--poll-interval', '0.05'], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    expect(code).toBe(0);
    const records = jsonLines(stdout);
    expect(records.at(-1)).toMatchObject({ kind: 'result', exit_code: 0 });
    expect(records.filter((record) => record.kind === 'event')).toHaveLength(15);
  });
});

describe('fine-tune-watch exit codes', () => {
  const usageErrors: [string, string[], RegExp][] = [
    ['an unknown flag', ['--bogus'], /--bogus/],
    ['a positional argument', ['ft-123'], /ft-123/],
    ['no job id', ['--provider', 'together'], /--job-id is required/],
    ['an unknown provider', ['--provider', 'acme', '--job-id', 'ft-1'], /--provider got "acme"/],
    [
      'a bad poll interval',
      ['--provider', 'together', '--job-id', 'ft-1', '--poll-interval', 'soon'],
      /--poll-interval must be a positive number/,
    ],
    ['a flag without its value', ['--provider', 'together', '--job-id'], /--job-id/],
  ];

  it.each(usageErrors)('exits 2 on %s, before any request', async (_, args, message) => {
    const scenario = togetherQuickstart();
    const sim = await simOf(scenario);
    const run = await runCliBundle([...args, '--base-url', sim.baseUrl], {
      env: { TOGETHER_API_KEY: KEY },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain('fine-tune-watch --help');
    expect(run.stdout).toBe('');
    expect(sim.requests).toHaveLength(0);
  });

  it('exits 2 without an API key, naming the variable to set, and reports other problems too', async () => {
    const run = await runCliBundle(['--provider', 'nebius', '--job-id', 'ftjob-1', '--timeout-minutes', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No API key for nebius: set NEBIUS_API_KEY, FTW_API_KEY or --api-key.');
    expect(run.stderr).toContain('--timeout-minutes must be a number of minutes');
  });

  it('names where a bad value came from: the flag, or the FTW_* variable', async () => {
    const fromEnv = await runCliBundle(['--provider', 'openai', '--job-id', 'ftjob-1'], {
      env: { OPENAI_API_KEY: KEY, FTW_WAIT: 'nope' },
    });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr).toContain('FTW_WAIT must be `true` or `false`, got "nope"');
    const negative = await runCliBundle(
      ['--provider', 'openai', '--job-id', 'ftjob-1', '--poll-interval', '-5'],
      { env: { OPENAI_API_KEY: KEY } },
    );
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--poll-interval must be a positive number of seconds');
    expect(negative.stderr).toContain('"-5"');
  });

  it('speaks of flags, not inputs or secrets, when the key is refused', async () => {
    const sim = await simOf(neverEnding('openai'));
    const run = await runCliBundle(
      ['--provider', 'openai', '--job-id', neverEnding('openai').id, '--base-url', sim.baseUrl],
      { env: { OPENAI_API_KEY: 'sk-wrong-key-0123456789' } },
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('OPENAI_API_KEY, FTW_API_KEY or --api-key');
    expect(run.stderr).not.toMatch(/input|secret/);
  });

  it('suggests the version segment when a base URL without one answers 404', async () => {
    const sim = await simOf(neverEnding('openai'));
    const run = await runCliBundle(
      ['--provider', 'openai', '--job-id', 'ftjob-1', '--base-url', sim.baseUrl.replace(/\/v1$/, '')],
      { env: { OPENAI_API_KEY: KEY } },
    );
    expect(run.code).toBe(4);
    expect(run.stderr).toContain(`${sim.baseUrl.replace(/\/v1$/, '')}/v1`);
  });

  it('ends --json output with a result even on a usage error', async () => {
    const run = await runCliBundle([
      '--json',
      '--provider',
      'together',
      '--job-id',
      'ft-1',
      '--fail-on',
      'x',
    ]);
    expect(run.code).toBe(2);
    expect(jsonLines(run.stdout)).toEqual([
      expect.objectContaining({
        kind: 'result',
        exit_code: 2,
        outputs: expect.objectContaining({
          status: '',
          'job-id': 'ft-1',
          error: expect.stringMatching(/--fail-on/),
        }),
      }),
    ]);
  });

  it('exits 3 when --timeout-minutes runs out, and cancels the job with --cancel-on-timeout', async () => {
    const scenario = neverEnding('together');
    const sim = await simOf(scenario);
    const run = await watch(scenario, sim, ['--json', '--timeout-minutes', '0.005', '--cancel-on-timeout']);
    expect(run.code).toBe(3);
    expect(lastRecord(run)).toMatchObject({ exit_code: 3, outputs: { status: 'timed_out' } });
    expect(sim.job(scenario.id).cancelCalls).toBe(1);
  });

  it('exits 0 on a timeout that --fail-on leaves out', async () => {
    const scenario = neverEnding('openai');
    const run = await watch(scenario, await simOf(scenario), [
      '--timeout-minutes',
      '0.005',
      '--fail-on',
      'failed',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Result: timed_out/m);
  });

  it('exits 4 on a rejected key, without printing the key', async () => {
    const scenario = togetherQuickstart();
    const wrongKey = 'sk-wrong-key-0123456789';
    const run = await watch(scenario, await simOf(scenario), [], { env: { TOGETHER_API_KEY: wrongKey } });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^fine-tune-watch: .*(key|401)/im);
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
  });

  it('exits 4 on a refusal whose text tries terminal escapes, printing them harmless', async () => {
    const scenario = togetherQuickstart();
    const body = JSON.stringify({ error: { message: 'denied\u001b[2J\u001b]0;pwned\u0007 now' } });
    const sim = await simOf(scenario, () => ({
      kind: 'raw',
      status: 403,
      contentType: 'application/json',
      body,
    }));
    const run = await watch(scenario, sim);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('denied\uFFFD[2J');
    expect(run.stdout + run.stderr).not.toContain('\u001b');
  });

  it('exits 4 when the job does not exist, naming the job', async () => {
    const scenario = openaiCookbook();
    const sim = await simOf(scenario);
    const missing = { ...scenario, id: 'ftjob-does-not-exist' };
    const run = await watch(missing, sim, ['--json']);
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('ftjob-does-not-exist');
    expect(lastRecord(run)).toMatchObject({ exit_code: 4, outputs: { status: '' } });
  });

  it('exits 4 when a single check (--no-wait) keeps meeting 503s', async () => {
    const scenario = togetherQuickstart();
    const sim = await simOf(scenario, () => ({ kind: 'status', status: 503 }));
    const run = await watch(scenario, sim, ['--json', '--no-wait']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^fine-tune-watch: the API did not answer usably: .*503/m);
    expect(lastRecord(run)).toMatchObject({ exit_code: 4, outputs: { status: '', 'job-id': scenario.id } });
    expect(sim.requests.length).toBeGreaterThan(1);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    'exits %s → %i on a signal, cancelling the job with --cancel-on-abort',
    async (signal, code) => {
      const scenario = neverEnding('openai');
      const sim = await simOf(scenario);
      let sent = false;
      const run = await watch(scenario, sim, ['--cancel-on-abort'], {
        onStdout: (stdout, kill) => {
          if (!sent && stdout.includes('Status: ')) {
            sent = true;
            kill(signal);
          }
        },
      });
      expect(run.code).toBe(code);
      expect(sim.job(scenario.id).cancelCalls).toBe(1);
      expect(run.stdout).toMatch(/^Result: cancelled .*interrupted/m);
    },
  );

  it('refuses a Node.js older than the bundle supports, in a sentence', async () => {
    // Exercised through the pure check: the test runner itself is a supported Node.
    const { nodeVersionProblem, MINIMUM_NODE } = await import('../src/cli/node-version.js');
    expect(nodeVersionProblem('20.20.2')).toBe(
      `fine-tune-watch needs Node.js ${MINIMUM_NODE} or newer; this is 20.20.2.`,
    );
    expect(nodeVersionProblem('22.18.9')).not.toBeNull();
    expect(nodeVersionProblem(MINIMUM_NODE)).toBeNull();
    expect(nodeVersionProblem('24.0.0')).toBeNull();
    expect(existsSync(new URL('../dist/cli/index.js', import.meta.url))).toBe(true);
  });
});
