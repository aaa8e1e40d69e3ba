import type { FtEvent, JobSnapshot } from '../model.js';
import { isFinal } from '../status.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import { escapeText } from './html.js';
import { lossChartSection } from './loss-chart.js';
import { describeProgress } from './console-reporter.js';
import { cell, code } from './html.js';
import {
  factsTable,
  failureNote,
  fitWithin,
  OUTCOME_MARKS,
  gatesSection,
  headline,
  modelBlock,
  recentEventsBlock,
  type ReportView,
} from './sections.js';

/** GitHub refuses comment bodies over 65,536 characters. */
export const MAX_COMMENT_LENGTH = 65_000;
/** While waiting, the comment is edited at most this often: a PR's watchers get a calm timeline. */
export const COMMENT_UPDATE_INTERVAL_MS = 60_000;
const RECENT_EVENTS = 8;

/** The hidden marker that finds a job's comment again; the id is URI-encoded so it cannot end the HTML comment. */
export function commentMarker(jobId: string): string {
  return `<!-- fine-tune-watch job=${encodeURIComponent(jobId)} -->`;
}

export function renderComment(view: ReportView, runUrl: string | null): string {
  const footer = runUrl
    ? `<sub>Updated by fine-tune-watch in <a href="${escapeText(runUrl)}">this run</a>.</sub>`
    : null;
  return fitWithin(
    [
      commentMarker(view.ref.jobId),
      `### ${headline(view)}`,
      failureNote(view),
      factsTable(view),
      modelBlock(view),
      gatesSection(view),
      footer,
      lossChartSection(view.metricRows),
      recentEventsBlock(view, RECENT_EVENTS, 300),
    ],
    MAX_COMMENT_LENGTH,
    4,
  );
}

/** The run's page, from the runner's environment; null outside Actions. */
export function runUrlOf(env: NodeJS.ProcessEnv): string | null {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  if (!GITHUB_SERVER_URL || !GITHUB_REPOSITORY || !GITHUB_RUN_ID) return null;
  return `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${encodeURIComponent(GITHUB_RUN_ID)}`;
}

export interface CommentWriter {
  upsert(body: string): Promise<void>;
}

/**
 * Keeps a "running" comment up to date while the poll loop works: the first status is posted
 * at once, later changes at most once per interval, and never two writes at a time.
 */
export class CommentProgress implements WatchReporter {
  private readonly startedAt: number;
  private job: JobSnapshot | null = null;
  private eventsCount = 0;
  private recent: FtEvent[] = [];
  private lastWrite = Number.NEGATIVE_INFINITY;
  private writing: Promise<void> | null = null;

  constructor(
    private readonly identity: Pick<ReportView, 'ref' | 'dashboardUrl'>,
    private readonly writer: CommentWriter,
    private readonly runUrl: string | null,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = COMMENT_UPDATE_INTERVAL_MS,
  ) {
    this.startedAt = now();
  }

  status(job: JobSnapshot): void {
    this.job = job;
    this.maybeWrite();
  }

  events(events: readonly FtEvent[], job: JobSnapshot | null): void {
    this.eventsCount += events.length;
    this.recent = [...this.recent, ...events].slice(-RECENT_EVENTS);
    if (job) this.job = job;
    this.maybeWrite();
  }

  heartbeat(job: JobSnapshot): void {
    this.job = job;
    this.maybeWrite();
  }

  /** Waits for a write in flight, so the final comment cannot be overtaken by a late "running" one. */
  async settle(): Promise<void> {
    await this.writing;
  }

  private maybeWrite(): void {
    // A final status is left to the final comment, written from the whole report.
    if (!this.job || isFinal(this.job.state)) return;
    if (this.writing || this.now() - this.lastWrite < this.intervalMs) return;
    this.lastWrite = this.now();
    const body = renderComment(this.view(this.job), this.runUrl);
    this.writing = this.writer.upsert(body).finally(() => {
      this.writing = null;
    });
  }

  private view(job: JobSnapshot): ReportView {
    return {
      ...this.identity,
      outcome: 'running',
      job,
      // Not deployable yet: the facts table says so beside the name.
      model: null,
      modelPath: job.modelPath,
      error: null,
      failure: null,
      eventsCount: this.eventsCount,
      checkpoints: [],
      metrics: {},
      metricRows: [],
      gates: [],
      recentEvents: this.recent,
      startedAt: this.startedAt,
      finishedAt: this.now(),
    };
  }
}

/** The marker of a set's comment: every id, sorted, so the same set finds its comment again. */
export function setCommentMarker(jobIds: readonly string[]): string {
  return `<!-- fine-tune-watch jobs=${[...jobIds].sort().map(encodeURIComponent).join(',')} -->`;
}

/**
 * The "running" comment of a set: each job's status and progress, the first at once and
 * changes at most once per interval, never two writes at a time.
 */
export class SetCommentProgress {
  private readonly latest = new Map<string, JobSnapshot | null>();
  private lastWrite = Number.NEGATIVE_INFINITY;
  private writing: Promise<void> | null = null;

  constructor(
    jobIds: readonly string[],
    private readonly marker: string,
    private readonly writer: CommentWriter,
    private readonly runUrl: string | null,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = COMMENT_UPDATE_INTERVAL_MS,
  ) {
    for (const id of jobIds) this.latest.set(id, null);
  }

  reporterFor(jobId: string): WatchReporter {
    const seen = (job: JobSnapshot | null) => {
      if (job) this.latest.set(jobId, job);
      this.maybeWrite();
    };
    return { status: (job) => seen(job), events: (_events, job) => seen(job), heartbeat: (job) => seen(job) };
  }

  async settle(): Promise<void> {
    await this.writing;
  }

  private maybeWrite(): void {
    if (this.writing || this.now() - this.lastWrite < this.intervalMs) return;
    this.lastWrite = this.now();
    const rows = [...this.latest].map(([id, job]) => {
      const progress = job ? describeProgress(job) : '';
      return `| ${code(id, 120)} | ${job ? `${OUTCOME_MARKS[job.state]} ${cell(job.providerStatus)}` : '⏳ not read yet'} | ${cell(progress)} |`;
    });
    const running = [...this.latest.values()].filter((job) => job === null || !isFinal(job.state)).length;
    const footer = this.runUrl
      ? `<sub>Updated by fine-tune-watch in <a href="${escapeText(this.runUrl)}">this run</a>.</sub>`
      : null;
    const body = fitWithin(
      [
        this.marker,
        `### ⏳ ${this.latest.size} fine-tunes: ${running} still running`,
        ['| Job | Status | Progress |', '|---|---|---|', ...rows].join('\n'),
        footer,
      ],
      MAX_COMMENT_LENGTH,
      2,
    );
    this.writing = this.writer.upsert(body).finally(() => {
      this.writing = null;
    });
  }
}
