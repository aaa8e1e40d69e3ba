/**
 * Runs the bundled action the way the GitHub runner does: `node dist/index.js` with inputs in
 * `INPUT_<NAME>` variables and the runner's file-command files, then collects what it produced.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readInputDefaults } from './action-defaults.js';
import { DEFAULT_REPOSITORY, DEFAULT_SHA, pushEvent } from './github-event.js';
import { parseOutputFile } from './output-file.js';

export { parseOutputFile } from './output-file.js';

/** `<repo>/dist/index.js`, resolved from this file so it works from any working directory. */
export const DEFAULT_MAIN = fileURLToPath(new URL('../dist/index.js', import.meta.url));
export const DEFAULT_ACTION_YML = fileURLToPath(new URL('../action.yml', import.meta.url));
const EXIT_PROBE = fileURLToPath(new URL('./exit-probe.mjs', import.meta.url));

export interface SignalStep {
  name: 'SIGINT' | 'SIGTERM';
  /** Milliseconds after the start of the process, or after `afterOutput` appeared. */
  afterMs: number;
  /** Count `afterMs` from the moment stdout first contains this text (e.g. the action's first line). */
  afterOutput?: string;
}

export interface RunActionOptions {
  /** Input name → value, e.g. `{ 'job-id': 'ft-1', 'poll-interval': '0.1' }`. */
  inputs?: Record<string, string>;
  /** Extra variables (undefined removes one the runner would set). Only PATH and HOME are inherited. */
  env?: Record<string, string | undefined>;
  /** Webhook payload for `$GITHUB_EVENT_PATH`; default a push event. */
  event?: Record<string, unknown>;
  /** Default 'pull_request' when `event` has a pull_request, else 'push'. */
  eventName?: string;
  repository?: string;
  /** Kill (SIGKILL) after this long and report `timedOut`. Default 60 s. */
  timeoutMs?: number;
  /** Signals to send, e.g. the runner's cancel: SIGINT, then SIGTERM 7.5 s later. */
  signal?: SignalStep | SignalStep[];
  /** 'inherit' shows the action's log live (stdout/stderr are then ''). Default 'pipe'. */
  stdio?: 'pipe' | 'inherit';
  /** Called with each chunk of stdout as it arrives (with the default 'pipe'). */
  onStdout?: (chunk: string) => void;
  /** The action's entry file. Default `<repo>/dist/index.js`. */
  main?: string;
  /** action.yml whose input defaults are passed like the runner does; null: none. Default `<repo>/action.yml`. */
  actionYml?: string | null;
  /**
   * Report the process's peak resident memory (`peakRssBytes`), when it exited by its own clock
   * (`exitedAt`) and the node: modules it loaded (`builtins`), through a preloaded probe.
   */
  probe?: boolean;
}

export interface RunActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  runnerTemp: string;
  outputFile: string;
  summaryFile: string;
  durationMs: number;
  /** Date.now() when the process was started. */
  startedAt: number;
  /** Date.now() of each signal actually delivered, in order. */
  signalledAt: number[];
  /** Peak resident memory of the action's process, with `probe`; null otherwise or when unknown. */
  peakRssBytes: number | null;
  /** Date.now() in the action's process as it exited, with `probe`; null otherwise or when unknown. */
  exitedAt: number | null;
  /** The node: modules the process loaded ('http', 'crypto', …), with `probe`; null otherwise. */
  builtins: string[] | null;
  /** Deletes runnerTemp (it is kept so tests can read files the action wrote there). */
  cleanup(): Promise<void>;
}

/** `INPUT_` + the name upper-cased, hyphens kept (`job-id` → `INPUT_JOB-ID`), spaces as `_`. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

interface RunnerFiles {
  runnerTemp: string;
  workspace: string;
  outputFile: string;
  summaryFile: string;
  eventFile: string;
  commandFiles: Record<string, string>;
}

async function prepareFiles(event: Record<string, unknown>): Promise<RunnerFiles> {
  const runnerTemp = await mkdtemp(join(tmpdir(), 'ftw-runner-'));
  const commands = join(runnerTemp, '_runner_file_commands');
  const workspace = join(runnerTemp, 'workspace');
  await mkdir(commands);
  await mkdir(workspace);
  const file = (prefix: string) => join(commands, `${prefix}_${randomUUID()}`);
  const files: RunnerFiles = {
    runnerTemp,
    workspace,
    outputFile: file('set_output'),
    summaryFile: file('step_summary'),
    eventFile: join(runnerTemp, '_github_workflow', 'event.json'),
    commandFiles: {
      GITHUB_ENV: file('set_env'),
      GITHUB_PATH: file('add_path'),
      GITHUB_STATE: file('save_state'),
    },
  };
  await mkdir(join(runnerTemp, '_github_workflow'));
  await writeFile(files.eventFile, JSON.stringify(event));
  for (const path of [files.outputFile, files.summaryFile, ...Object.values(files.commandFiles)]) {
    await writeFile(path, '');
  }
  return files;
}

function buildEnv(options: RunActionOptions, files: RunnerFiles, eventName: string): NodeJS.ProcessEnv {
  const repository = options.repository ?? DEFAULT_REPOSITORY;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: files.outputFile,
    GITHUB_STEP_SUMMARY: files.summaryFile,
    ...files.commandFiles,
    GITHUB_EVENT_PATH: files.eventFile,
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
    GITHUB_WORKSPACE: files.workspace,
    GITHUB_SHA: DEFAULT_SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKFLOW: 'fine-tune',
    GITHUB_JOB: 'watch',
    GITHUB_ACTION: 'ft',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '1658821493',
    GITHUB_RUN_NUMBER: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_GRAPHQL_URL: 'https://api.github.com/graphql',
    RUNNER_TEMP: files.runnerTemp,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'fine-tune-watch-sim',
  };
  const inputs = {
    ...readInputDefaults(options.actionYml === undefined ? DEFAULT_ACTION_YML : (options.actionYml ?? '')),
    ...options.inputs,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputEnvName(name)] = value;
  Object.assign(env, options.env);
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

export async function runAction(options: RunActionOptions = {}): Promise<RunActionResult> {
  const event = options.event ?? pushEvent(options.repository);
  const eventName = options.eventName ?? ('pull_request' in event ? 'pull_request' : 'push');
  const files = await prepareFiles(event);
  const env = buildEnv(options, files, eventName);
  const probeFile = join(files.runnerTemp, 'exit-probe.json');
  const probe = options.probe ? ['--import', pathToFileURL(EXIT_PROBE).href] : [];
  if (options.probe) env.FINE_TUNE_WATCH_SIM_PROBE_FILE = probeFile;
  const piped = (options.stdio ?? 'pipe') === 'pipe';
  const started = Date.now();
  const child = spawn(process.execPath, [...probe, options.main ?? DEFAULT_MAIN], {
    cwd: files.workspace,
    env,
    stdio: ['ignore', piped ? 'pipe' : 'inherit', piped ? 'pipe' : 'inherit'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    options.onStdout?.(chunk);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let timedOut = false;
  const timers = [
    setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000),
  ];
  const steps = options.signal === undefined ? [] : [options.signal].flat();
  const signalledAt: number[] = [];
  const schedule = (step: SignalStep) =>
    timers.push(
      setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null && child.kill(step.name))
          signalledAt.push(Date.now());
      }, step.afterMs),
    );
  for (const step of steps) {
    if (step.afterOutput === undefined) {
      schedule(step);
      continue;
    }
    const marker = step.afterOutput;
    const onData = () => {
      if (!stdout.includes(marker)) return;
      child.stdout?.off('data', onData);
      schedule(step);
    };
    child.stdout?.on('data', onData);
  }

  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  }).finally(() => {
    for (const timer of timers) clearTimeout(timer);
  });

  return {
    code,
    signal,
    timedOut,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(files.outputFile, 'utf8')),
    summary: await readFile(files.summaryFile, 'utf8').catch(() => ''),
    runnerTemp: files.runnerTemp,
    outputFile: files.outputFile,
    summaryFile: files.summaryFile,
    durationMs: Date.now() - started,
    startedAt: started,
    signalledAt,
    ...(await readProbe(options.probe ? probeFile : null)),
    cleanup: () => rm(files.runnerTemp, { recursive: true, force: true }),
  };
}

interface Probed {
  peakRssBytes?: unknown;
  exitedAt?: unknown;
  builtins?: unknown;
}

async function readProbe(
  file: string | null,
): Promise<Pick<RunActionResult, 'peakRssBytes' | 'exitedAt' | 'builtins'>> {
  const probed: Probed = file
    ? await readFile(file, 'utf8')
        .then((text) => JSON.parse(text) as Probed)
        .catch(() => ({}))
    : {};
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  const builtins = Array.isArray(probed.builtins) ? probed.builtins.map(String) : null;
  return { peakRssBytes: number(probed.peakRssBytes), exitedAt: number(probed.exitedAt), builtins };
}
