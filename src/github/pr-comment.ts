import type { Settings } from '../settings.js';
import type { JobReport } from '../engine/job-report.js';
import { StickyComment } from './sticky-comment.js';
import { pullRequestOf } from './pull-request.js';
import type { JobRef } from '../model.js';
import { CommentProgress, commentMarker, renderComment, runUrlOf } from '../report/comment.js';
import type { Log } from '../report/log.js';

/**
 * The pull-request comment of one run: a "running" comment kept current while waiting, then
 * the final result. Anything that stops it (no pull request, a read-only token) is one warning,
 * never a failed step.
 */
export class PrComment {
  readonly progress: CommentProgress;
  private readonly runUrl: string | null;
  private warned = false;
  private disabled = false;

  private constructor(
    private readonly sticky: StickyComment,
    private readonly prNumber: number,
    private readonly log: Log,
    identity: { ref: JobRef; dashboardUrl: string | null },
    env: NodeJS.ProcessEnv,
  ) {
    this.runUrl = runUrlOf(env);
    this.progress = new CommentProgress(identity, { upsert: (body) => this.write(body) }, this.runUrl);
  }

  /** Null, after one warning, when there is no pull request to comment on. */
  static open(
    settings: Settings,
    identity: { ref: JobRef; dashboardUrl: string | null },
    env: NodeJS.ProcessEnv,
    log: Log,
  ): PrComment | null {
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
    const sticky = new StickyComment(target, settings.githubToken, commentMarker(settings.jobId));
    return new PrComment(sticky, target.number, log, identity, env);
  }

  /** Writes the final comment once any "running" update in flight has landed. */
  async finish(report: JobReport, timeoutMs: number): Promise<void> {
    await this.progress.settle();
    await this.write(renderComment(report, this.runUrl), timeoutMs);
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
