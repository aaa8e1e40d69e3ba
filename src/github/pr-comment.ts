import type { JobReport } from '../engine/job-report.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import type { SetReport } from '../engine/watch-jobs.js';
import type { JobRef } from '../model.js';
import { platformOf } from '../providers/index.js';
import {
  CommentProgress,
  commentMarker,
  renderComment,
  runUrlOf,
  SetCommentProgress,
  setCommentMarker,
} from '../report/comment.js';
import type { Log } from '../report/log.js';
import { renderSetComment } from '../report/set-summary.js';
import type { Settings } from '../settings.js';
import { pullRequestOf } from './pull-request.js';
import { StickyComment } from './sticky-comment.js';

/**
 * The pull-request comment of one run: a "running" comment kept current while waiting, then
 * the final result; one comment per job, or one per set of jobs. Anything that stops it (no pull
 * request, a read-only token) is one warning, never a failed step.
 */
export class PrComment {
  private readonly runUrl: string | null;
  private readonly single: CommentProgress | null;
  private readonly set: SetCommentProgress | null;
  private warned = false;
  private disabled = false;

  private constructor(
    private readonly sticky: StickyComment,
    private readonly prNumber: number,
    private readonly log: Log,
    private readonly settings: Settings,
    env: NodeJS.ProcessEnv,
  ) {
    this.runUrl = runUrlOf(env);
    const writer = { upsert: (body: string) => this.write(body) };
    if (settings.jobIds.length === 1) {
      const ref: JobRef = { provider: settings.provider, jobId: settings.jobId, baseUrl: settings.baseUrl };
      this.single = new CommentProgress(
        { ref, dashboardUrl: platformOf(settings.provider).dashboardUrl(ref) },
        writer,
        this.runUrl,
      );
      this.set = null;
    } else {
      this.single = null;
      this.set = new SetCommentProgress(
        settings.jobIds,
        setCommentMarker(settings.jobIds),
        writer,
        this.runUrl,
      );
    }
  }

  /** Null, after one warning, when there is no pull request to comment on. */
  static open(settings: Settings, env: NodeJS.ProcessEnv, log: Log): PrComment | null {
    if (!settings.commentOnPr) return null;
    const target = pullRequestOf(env);
    if ('skip' in target) {
      log.warning(`comment-on-pr is set, but ${target.skip}: no comment was written.`);
      return null;
    }
    if (settings.githubToken === '') {
      log.warning('comment-on-pr is set, but `github-token` is empty: no comment was written.');
      return null;
    }
    const marker =
      settings.jobIds.length === 1 ? commentMarker(settings.jobId) : setCommentMarker(settings.jobIds);
    const sticky = new StickyComment(target, settings.githubToken, marker);
    return new PrComment(sticky, target.number, log, settings, env);
  }

  /** What the poll loop of a job reports, for the "running" comment. */
  progressFor(jobId: string): WatchReporter {
    return this.single ?? (this.set as SetCommentProgress).reporterFor(jobId);
  }

  /** Writes the final comment once any "running" update in flight has landed. */
  async finish(result: SetReport, timeoutMs: number): Promise<void> {
    await (this.single ?? this.set)?.settle();
    const body =
      result.jobs.length === 1
        ? renderComment(result.jobs[0] as JobReport, this.runUrl)
        : renderSetComment(result, this.settings.rankBy, setCommentMarker(this.settings.jobIds), this.runUrl);
    await this.write(body, timeoutMs);
  }

  private async write(body: string, timeoutMs?: number): Promise<void> {
    if (this.disabled) return;
    const outcome = await this.sticky.upsert(body, timeoutMs);
    if (outcome.ok) return;
    if (outcome.final) this.disabled = true;
    if (!this.warned) {
      this.warned = true;
      this.log.warning(`Could not comment on pull request #${this.prNumber}: ${outcome.message}`);
    }
  }
}
