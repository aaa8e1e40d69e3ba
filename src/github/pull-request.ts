import { readFileSync } from 'node:fs';

export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * The pull request this run belongs to, from the runner's environment, or why there is none
 * (a push, a schedule, a missing event file): the caller turns that into one warning.
 */
export function pullRequestOf(env: NodeJS.ProcessEnv): PullRequestTarget | { skip: string } {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (!PULL_REQUEST_EVENTS.has(eventName)) {
    return {
      skip: `this run was triggered by ${eventName ? `a ${eventName} event` : 'no event'}, not a pull request`,
    };
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  let number: unknown;
  try {
    const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as {
      pull_request?: { number?: unknown };
      number?: unknown;
    };
    number = event.pull_request?.number ?? event.number;
  } catch {
    return { skip: 'the event payload (GITHUB_EVENT_PATH) could not be read' };
  }
  if (!owner || !repo || typeof number !== 'number') {
    return { skip: 'the event payload does not name the pull request' };
  }
  return { owner, repo, number };
}
