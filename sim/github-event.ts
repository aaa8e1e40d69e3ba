/** Minimal webhook payloads for `$GITHUB_EVENT_PATH`, with the fields @actions/github reads. */

export const DEFAULT_REPOSITORY = 'octo-org/fine-tune-demo';
export const DEFAULT_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

function repository(fullName: string): Record<string, unknown> {
  const [owner = 'octo-org', name = 'repo'] = fullName.split('/');
  return { full_name: fullName, name, owner: { login: owner }, private: false };
}

export function pushEvent(fullName = DEFAULT_REPOSITORY): Record<string, unknown> {
  return {
    ref: 'refs/heads/main',
    before: '0000000000000000000000000000000000000000',
    after: DEFAULT_SHA,
    repository: repository(fullName),
    pusher: { name: 'octocat' },
    sender: { login: 'octocat' },
    head_commit: { id: DEFAULT_SHA, message: 'Start fine-tune' },
  };
}

export interface PullRequestEventOptions {
  number?: number;
  repository?: string;
  /** A different head repository makes it a pull request from a fork (read-only token). */
  headRepository?: string;
  action?: string;
}

export function pullRequestEvent(options: PullRequestEventOptions = {}): Record<string, unknown> {
  const base = options.repository ?? DEFAULT_REPOSITORY;
  const number = options.number ?? 42;
  return {
    action: options.action ?? 'synchronize',
    number,
    pull_request: {
      number,
      title: 'Fine-tune the recipe model',
      head: {
        ref: 'feature/fine-tune',
        sha: DEFAULT_SHA,
        repo: repository(options.headRepository ?? base),
      },
      base: { ref: 'main', repo: repository(base) },
    },
    repository: repository(base),
    sender: { login: 'octocat' },
  };
}
