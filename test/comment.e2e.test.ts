import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../sim/github-api.js';
import { pullRequestEvent } from '../sim/github-event.js';
import { openaiCookbook, togetherQuickstart } from '../sim/scenarios.js';
import type { NamedScenario } from '../sim/types.js';
import { watchOnSim } from './support/e2e.js';

let github: FakeGitHub | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

async function watchOnPullRequest(
  scenario: NamedScenario,
  options: {
    denyWrites?: number;
    comments?: string[];
    inputs?: Record<string, string>;
    event?: Record<string, unknown>;
    eventName?: string;
  } = {},
) {
  github = await startFakeGitHub({ denyWrites: options.denyWrites, comments: options.comments });
  const watched = await watchOnSim(
    scenario,
    { 'comment-on-pr': 'true', 'github-token': 'ghs_fake-token', ...options.inputs },
    {},
    {
      env: { GITHUB_API_URL: github.apiUrl },
      event: options.event ?? pullRequestEvent({ number: 7 }),
      eventName: options.eventName,
    },
  );
  return { ...watched, github };
}

const warnings = (stdout: string) => stdout.split('\n').filter((line) => line.startsWith('::warning::'));

describe('pull-request comment', () => {
  it('creates one comment while running, then updates it in place with the result', async () => {
    const scenario = togetherQuickstart();
    const { result, github } = await watchOnPullRequest(scenario);
    expect(result.code).toBe(0);
    const writes = github.requests.filter((request) => request.method !== 'GET');
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /repos/octo-org/fine-tune-demo/issues/7/comments',
      `PATCH /repos/octo-org/fine-tune-demo/issues/comments/${github.comments[0]?.id}`,
    ]);
    expect(String((writes[0]?.body as { body: string }).body)).toContain('⏳ Fine-tune running');
    expect(github.comments).toHaveLength(1);
    const body = github.comments[0]?.body ?? '';
    expect(body).toContain(`<!-- fine-tune-watch job=${scenario.id} -->`);
    expect(body).toContain('✅ Fine-tune succeeded');
    expect(body).toContain('```mermaid');
    expect(body).toContain('/actions/runs/');
    expect(github.requests.every((request) => request.authorization === 'token ghs_fake-token')).toBe(true);
    expect(warnings(result.stdout)).toEqual([]);
  });

  it('finds its comment again among many by the marker and updates it, creating none', async () => {
    const scenario = openaiCookbook();
    const others = Array.from({ length: 130 }, (_, i) => `unrelated comment ${i}`);
    const existing = `<!-- fine-tune-watch job=${scenario.id} -->\nold result`;
    const { result, github } = await watchOnPullRequest(scenario, { comments: [...others, existing] });
    expect(result.code).toBe(0);
    expect(github.requests.filter((request) => request.method === 'POST')).toHaveLength(0);
    expect(github.comments).toHaveLength(131);
    expect(github.comments.at(-1)?.body).toContain('✅ Fine-tune succeeded');
    expect(github.requests.filter((request) => request.method === 'GET').length).toBeGreaterThan(1);
  });

  it('keeps the step green with one warning when the token may not comment', async () => {
    const { result, github } = await watchOnPullRequest(togetherQuickstart(), { denyWrites: 403 });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const commentWarnings = warnings(result.stdout).filter((line) => line.includes('comment'));
    expect(commentWarnings).toHaveLength(1);
    expect(commentWarnings[0]).toContain('pull-requests: write');
    // After the refusal it stops trying.
    expect(github.requests.filter((request) => request.method === 'POST')).toHaveLength(1);
  });

  it('warns once and calls no API on a push', async () => {
    const { result, github } = await watchOnPullRequest(togetherQuickstart(), {
      event: { ref: 'refs/heads/main' },
      eventName: 'push',
    });
    expect(result.code).toBe(0);
    expect(github.requests).toHaveLength(0);
    expect(warnings(result.stdout).filter((line) => line.includes('comment-on-pr'))).toHaveLength(1);
  });

  it('escapes provider text and neutralises mentions and references', async () => {
    const scenario = togetherQuickstart();
    const last = scenario.stages.at(-1);
    if (!last) throw new Error('no stages');
    const hostile =
      '<script>alert(1)</script> <img src=x onerror=alert(2)> ping @octocat about #12 ' +
      'x'.repeat(1_000_000);
    last.events = [...(last.events ?? []), { message: hostile, level: 'error' }];
    const { github } = await watchOnPullRequest(scenario, { inputs: { 'fail-on': '' } });
    const body = github.comments[0]?.body ?? '';
    expect(body.length).toBeLessThan(65_536);
    expect(body).not.toMatch(/<script|<img|@octocat|#12/);
    expect(body).toContain('@&#8203;octocat');
  });
});
