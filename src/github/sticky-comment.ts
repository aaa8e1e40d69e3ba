import type { PullRequestTarget } from './pull-request.js';

/** A GitHub request that hangs must not hold the step. */
const REQUEST_TIMEOUT_MS = 10_000;

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>;

export interface CommentOutcome {
  ok: boolean;
  /** Set when the failure means no later attempt can succeed (read-only token, PR gone). */
  final?: boolean;
  message?: string;
}

/**
 * One comment per job on a pull request, found again by a hidden marker and edited in place.
 * Octokit is imported on first use, so runs without `comment-on-pr` never load it.
 */
export class StickyComment {
  private octokit: Octokit | undefined;
  private commentId: number | undefined;

  constructor(
    private readonly target: PullRequestTarget,
    private readonly token: string,
    /** Text that appears in no other comment: an HTML comment naming the job. */
    private readonly marker: string,
  ) {}

  /** Creates the comment, or updates it when it exists (found by its marker on the first call). */
  async upsert(body: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<CommentOutcome> {
    try {
      const octokit = await this.client();
      const request = { signal: AbortSignal.timeout(timeoutMs) };
      const { owner, repo, number } = this.target;
      this.commentId ??= await this.find(octokit, request);
      if (this.commentId !== undefined) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: this.commentId, body, request });
      } else {
        const created = await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: number,
          body,
          request,
        });
        this.commentId = created.data.id;
      }
      return { ok: true };
    } catch (error) {
      return describeFailure(error);
    }
  }

  private async client(): Promise<Octokit> {
    if (!this.octokit) {
      // getOctokit reads GITHUB_API_URL, so GitHub Enterprise Server works as it is.
      // Imported here, on first use: the bundler puts Octokit (and its own undici) in a chunk of
      // its own, so that a run that writes no comment never parses its megabyte.
      const { getOctokit } = await import('@actions/github');
      this.octokit = getOctokit(this.token);
    }
    return this.octokit;
  }

  private async find(octokit: Octokit, request: { signal: AbortSignal }): Promise<number | undefined> {
    const { owner, repo, number } = this.target;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: number,
      per_page: 100,
      request,
    });
    for await (const page of pages) {
      const mine = page.data.find((comment) => comment.body?.includes(this.marker));
      if (mine) return mine.id;
    }
    return undefined;
  }
}

function describeFailure(error: unknown): CommentOutcome {
  const status = (error as { status?: unknown }).status;
  const message = error instanceof Error ? error.message : String(error);
  if (status === 403 || status === 401) {
    return {
      ok: false,
      final: true,
      message: `the token may not write pull-request comments (HTTP ${status}). Give the job \`permissions: pull-requests: write\`; runs for pull requests from forks get a read-only token whatever the workflow asks.`,
    };
  }
  if (status === 404 || status === 410) {
    return { ok: false, final: true, message: `the pull request or comment was not found (HTTP ${status}).` };
  }
  return { ok: false, message };
}
