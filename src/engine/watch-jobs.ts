/**
 * A step that watches one job or several. One job is watchJob itself. Several share one HTTP
 * client (one keep-alive pool, one Retry-After hold, one lookup of the credentials), one clock
 * (their polls go together, and their job reads become one list request where the platform has
 * one), one events file and one heartbeat; each keeps its own poll loop, events and report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Outcome, REQUEST_TIMEOUT_MS } from '../constants.js';
import { ActionError } from '../errors.js';
import { policyFor } from '../http/backoff.js';
import { BatchingHttpClient } from '../http/batching-client.js';
import type { HttpClient } from '../http/http-client.js';
import { UndiciHttpClient } from '../http/undici-client.js';
import type { JobSnapshot } from '../model.js';
import { platformOf } from '../providers/index.js';
import { combineReporters } from '../report/combine.js';
import { describeProgress } from '../report/console-reporter.js';
import { formatDuration } from '../report/safe-text.js';
import { bestOf, type Ranking } from '../ranking.js';
import type { Settings } from '../settings.js';
import { isFinal } from '../status.js';
import { workflowVocabulary } from '../vocabulary.js';
import { EventLog } from './event-log.js';
import type { JobReport } from './job-report.js';
import type { WatchReporter } from './poll-loop.js';
import { RoundClock } from './round-clock.js';
import { Turns } from './turns.js';
import { jobRefOf, watchJob, type WatchJobDeps } from './watch-job.js';
import { describeRetry, describeStartOfSet, transportWords } from './wording.js';

/** A quiet set still says it is alive this often. */
const HEARTBEAT_MS = 60_000;
/** With `wait: false` a dead API should fail the check, not hold it until timeout-minutes. */
const CHECK_ONCE_ATTEMPTS = 5;
/** The heartbeat names this many unfinished jobs, and counts the rest. */
const HEARTBEAT_JOBS = 5;
/**
 * Jobs of a set that read their new events at the same time. Each read holds its pages until
 * they are in order: 50 jobs catching up on 1,000 events each, all at once, peaked at 379 MB;
 * in turns of 8 they stay near a single job's (`npm run bench -- --only 8`).
 */
const EVENT_READS_AT_ONCE = 8;

/** Everything known at the end of a step: each job's report, and what they add up to. */
export interface SetReport {
  /** In the order the ids were given. */
  jobs: JobReport[];
  /** The first of failed, cancelled, rejected, timed_out, running, succeeded that any job has. */
  outcome: Outcome | null;
  /** The succeeded job that ranks first (rank-by); null when none succeeded. */
  best: JobReport | null;
  /** The step's own failure, when every job met the same one (a refused key, no credentials). */
  failure: Error | null;
  eventsFile: string;
  eventsCount: number;
  interrupted: boolean;
  startedAt: number;
  finishedAt: number;
}

export interface WatchJobsDeps extends Omit<
  WatchJobDeps,
  'reporter' | 'eventLog' | 'sleep' | 'eventsTurn' | 'inSet'
> {
  /** What the poll loop of each job reports to (its log lines marked with the job in a set). */
  reporterFor(jobId: string, inSet: boolean): WatchReporter;
}

/** The order in which outcomes speak for a set: the worst first. */
const OUTCOME_ORDER: readonly Outcome[] = [
  'failed',
  'cancelled',
  'rejected',
  'timed_out',
  'running',
  'succeeded',
];

export async function watchJobs(settings: Settings, deps: WatchJobsDeps): Promise<SetReport> {
  const startedAt = Date.now();
  if (settings.jobIds.length === 1) {
    const report = await watchJob(settings, { ...deps, reporter: deps.reporterFor(settings.jobId, false) });
    return summarise([report], settings.rankBy, startedAt, report.eventsFile);
  }
  const env = deps.env ?? process.env;
  const platform = platformOf(settings.provider);
  const clock = new RoundClock();
  const turns = new Turns(EVENT_READS_AT_ONCE);
  const eventsFile = eventsFilePathOf(settings.jobIds.length, env);
  const client = deps.client ?? sharedClient(settings, deps, env);
  const batched = platform.jobList
    ? new BatchingHttpClient(client, platform.jobList, settings.jobIds)
    : client;
  const heartbeat = new SetHeartbeat(settings.jobIds, (line) => deps.log.line(line));
  deps.log.line(describeStartOfSet(settings, platform));
  heartbeat.start(Math.max(HEARTBEAT_MS, settings.pollIntervalMs));
  try {
    const jobs = await Promise.all(
      settings.jobIds.map((jobId) =>
        watchJob(
          { ...settings, jobId, jobIds: [jobId] },
          {
            ...deps,
            client: batched,
            eventLog: new EventLog(eventsFile, jobId),
            sleep: clock.sleep,
            eventsTurn: (read) => turns.run(read),
            inSet: true,
            reporter: combineReporters(heartbeat.reporterFor(jobId), deps.reporterFor(jobId, true)),
          },
        ),
      ),
    );
    return summarise(jobs, settings.rankBy, startedAt, eventsFile);
  } finally {
    heartbeat.stop();
    if (!deps.client) void client.close();
  }
}

/** The report of the set, from its jobs' reports. */
export function summarise(
  jobs: JobReport[],
  rankBy: Ranking,
  startedAt: number,
  eventsFile: string,
): SetReport {
  const outcomes = new Set(jobs.map((job) => job.outcome));
  const succeeded = jobs.filter((job) => job.outcome === 'succeeded');
  const best = succeeded[bestOf(succeeded, rankBy)] ?? null;
  const failures = new Set(jobs.map((job) => job.failure));
  // Every job met the same error (one client, one key): it is the step's.
  const failure = failures.size === 1 ? ([...failures][0] ?? null) : null;
  return {
    jobs,
    outcome: OUTCOME_ORDER.find((outcome) => outcomes.has(outcome)) ?? null,
    best,
    failure: failure instanceof ActionError ? failure : null,
    eventsFile,
    eventsCount: jobs.reduce((total, job) => total + job.eventsCount, 0),
    interrupted: jobs.some((job) => job.interrupted),
    startedAt,
    finishedAt: Date.now(),
  };
}

/**
 * One undici client for the set, made on first use: the credentials are looked up once, when the
 * first job asks (a cloud's SDK may be loaded then, and may find none: each job reports that).
 */
function sharedClient(settings: Settings, deps: WatchJobsDeps, env: NodeJS.ProcessEnv): HttpClient {
  const platform = platformOf(settings.provider);
  let made: Promise<HttpClient> | undefined;
  const client = (): Promise<HttpClient> => {
    made ??= platform.auth(settings, env).then(
      (auth) =>
        new UndiciHttpClient({
          baseUrl: settings.baseUrl,
          auth,
          words: transportWords(platform, jobRefOf(settings), deps.vocabulary ?? workflowVocabulary),
          errorDetail: platform.errorDetail,
          retry: policyFor(
            settings.pollIntervalMs,
            settings.wait ? Number.POSITIVE_INFINITY : CHECK_ONCE_ATTEMPTS,
          ),
          requestTimeoutMs: deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
          onRetry: (notice) => deps.log.line(describeRetry(notice)),
          onExchange: deps.onExchange,
          env,
        }),
    );
    return made;
  };
  return {
    get: async (path, decoder, options) => (await client()).get(path, decoder, options),
    post: async (path, decoder, options) => (await client()).post(path, decoder, options),
    close: async () => {
      if (made) await (await made.catch(() => null))?.close();
    },
  };
}

/** One heartbeat for the set: when nothing happened for a while, which jobs are still going. */
class SetHeartbeat {
  private readonly latest = new Map<string, JobSnapshot | null>();
  private lastActivity = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    jobIds: readonly string[],
    private readonly print: (line: string) => void,
  ) {
    for (const id of jobIds) this.latest.set(id, null);
  }

  reporterFor(jobId: string): WatchReporter {
    const touch = (job: JobSnapshot | null) => {
      if (job) this.latest.set(jobId, job);
      this.lastActivity = Date.now();
    };
    return { status: (job) => touch(job), events: (_events, job) => touch(job), heartbeat: () => undefined };
  }

  start(everyMs: number): void {
    this.timer = setInterval(
      () => {
        const quiet = Date.now() - this.lastActivity;
        if (quiet < everyMs) return;
        this.print(this.describe(quiet));
        this.lastActivity = Date.now();
      },
      Math.min(everyMs, 10_000),
    );
    // The heartbeat never keeps the process alive.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private describe(quietForMs: number): string {
    const going = [...this.latest].filter(([, job]) => job === null || !isFinal(job.state));
    const named = going.slice(0, HEARTBEAT_JOBS).map(([id, job]) => {
      const progress = job ? describeProgress(job) : '';
      return `${id} ${job?.providerStatus ?? 'not read yet'}${progress ? ` (${progress})` : ''}`;
    });
    const more = going.length > HEARTBEAT_JOBS ? `, and ${going.length - HEARTBEAT_JOBS} more` : '';
    return `Still waiting on ${going.length} of ${this.latest.size} jobs: ${named.join('; ')}${more} (no news for ${formatDuration(quietForMs)})`;
  }
}

function eventsFilePathOf(count: number, env: NodeJS.ProcessEnv): string {
  const dir = join(env.RUNNER_TEMP || tmpdir(), 'fine-tune-watch');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${count}-jobs-${Date.now()}-${process.pid}.events.ndjson`);
  // Made empty once; each job's log appends to it.
  writeFileSync(path, '');
  return path;
}
