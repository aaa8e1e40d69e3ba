/**
 * Where companies run CI: behind a proxy (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, as GitHub's own
 * actions read them), with a private certificate authority, on GitHub Enterprise Server, with the
 * runner's debug log. The bundled action runs as the runner runs it; the provider's host name
 * resolves only through a real proxy on 127.0.0.1, so an answer proves the proxy carried it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../sim/github-api.js';
import { pullRequestEvent } from '../sim/github-event.js';
import { runAction } from '../sim/runner.js';
import { togetherQuickstart } from '../sim/scenarios.js';
import { type FakeProvider, startFakeProvider } from '../sim/server.js';
import { startProxy, type TestProxy } from './support/proxy-server.js';
import { startTlsFront, TEST_CA_FILE } from './support/tls-front.js';

const KEY = 'tgp_v1_networks-0123456789';
/** Resolves only through the test proxy. */
const PROVIDER_HOST = 'api.fine-tune-watch.test';
const GITHUB_HOST = 'github.fine-tune-watch.test';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function provider(): Promise<{ sim: FakeProvider; jobId: string }> {
  const scenario = togetherQuickstart();
  const sim = await startFakeProvider({
    provider: 'together',
    apiKey: KEY,
    jobs: { [scenario.id]: scenario },
  });
  cleanups.push(() => sim.close());
  return { sim, jobId: scenario.id };
}

async function proxy(hosts: Record<string, number>): Promise<TestProxy> {
  const started = await startProxy(hosts);
  cleanups.push(() => started.close());
  return started;
}

async function tlsFront(port: number) {
  const front = await startTlsFront(port);
  cleanups.push(() => front.close());
  return front;
}

async function watch(baseUrl: string, jobId: string, env: Record<string, string>, inputs = {}) {
  const result = await runAction({
    inputs: {
      provider: 'together',
      'job-id': jobId,
      'api-key': KEY,
      'base-url': baseUrl,
      'poll-interval': '0.02',
      ...inputs,
    },
    env: { FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS: '2000', ...env },
    timeoutMs: 30_000,
  });
  cleanups.push(() => result.cleanup());
  return result;
}

const proxied = (records: TestProxy['records'], host: string) =>
  records.filter((record) => record.target.includes(host));

describe('proxies', () => {
  it('https through HTTPS_PROXY: a CONNECT tunnel, with a private CA trusted through NODE_EXTRA_CA_CERTS', async () => {
    const { sim, jobId } = await provider();
    const front = await tlsFront(sim.port);
    const forward = await proxy({ [PROVIDER_HOST]: front.port });
    const result = await watch(`https://${PROVIDER_HOST}:${front.port}/v1`, jobId, {
      HTTPS_PROXY: forward.url,
      NODE_EXTRA_CA_CERTS: TEST_CA_FILE,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const tunnels = proxied(forward.records, PROVIDER_HOST);
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels.every((record) => record.method === 'CONNECT')).toBe(true);
  });

  it('http through http_proxy (lower case): absolute-form requests', async () => {
    const { sim, jobId } = await provider();
    const forward = await proxy({ [PROVIDER_HOST]: sim.port });
    const result = await watch(`http://${PROVIDER_HOST}:${sim.port}/v1`, jobId, { http_proxy: forward.url });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    const requests = proxied(forward.records, PROVIDER_HOST);
    expect(requests.length).toBeGreaterThan(2);
    expect(requests.every((record) => record.method === 'GET' && record.target.startsWith('http://'))).toBe(
      true,
    );
  });

  it.each([`.fine-tune-watch.test`, `fine-tune-watch.test`, `${PROVIDER_HOST}:443`, '*'])(
    'NO_PROXY=%s: the host is reached directly (here: it does not resolve), the proxy is not asked',
    async (noProxy) => {
      const forward = await proxy({ [PROVIDER_HOST]: 9 });
      const result = await watch(`https://${PROVIDER_HOST}/v1`, 'ft-x', {
        HTTPS_PROXY: forward.url,
        NO_PROXY: `example.com, ${noProxy}`,
      });
      expect(result.code).toBe(1);
      expect(result.outputs.error).toContain(`${PROVIDER_HOST} does not resolve`);
      expect(forward.records).toEqual([]);
    },
  );

  it('the pull-request comment goes through the same proxy, to GITHUB_API_URL', async () => {
    const { sim, jobId } = await provider();
    const github: FakeGitHub = await startFakeGitHub();
    cleanups.push(() => github.close());
    const githubPort = Number(new URL(github.apiUrl).port);
    const forward = await proxy({ [PROVIDER_HOST]: sim.port, [GITHUB_HOST]: githubPort });
    const result = await runAction({
      inputs: {
        provider: 'together',
        'job-id': jobId,
        'api-key': KEY,
        'base-url': `http://${PROVIDER_HOST}:${sim.port}/v1`,
        'poll-interval': '0.02',
        'comment-on-pr': 'true',
        'github-token': 'ghs_fake-token',
      },
      env: { HTTP_PROXY: forward.url, GITHUB_API_URL: `http://${GITHUB_HOST}:${githubPort}` },
      event: pullRequestEvent({ number: 7 }),
      timeoutMs: 30_000,
    });
    cleanups.push(() => result.cleanup());
    expect(result.code).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(proxied(forward.records, GITHUB_HOST).length).toBeGreaterThan(0);
  });
});

describe('a private certificate authority', () => {
  it('is named when the certificate is not trusted, and works once NODE_EXTRA_CA_CERTS names it', async () => {
    const { sim, jobId } = await provider();
    const front = await tlsFront(sim.port);
    const baseUrl = `https://127.0.0.1:${front.port}/v1`;
    const untrusted = await watch(baseUrl, jobId, {});
    expect(untrusted.code).toBe(1);
    expect(untrusted.outputs.error).toContain('NODE_EXTRA_CA_CERTS');
    const trusted = await watch(baseUrl, jobId, { NODE_EXTRA_CA_CERTS: TEST_CA_FILE });
    expect(trusted.code).toBe(0);
    expect(trusted.outputs.status).toBe('succeeded');
  });
});

describe('GitHub Enterprise Server', () => {
  it('writes the comment through GITHUB_API_URL and links the run on GITHUB_SERVER_URL', async () => {
    const { sim, jobId } = await provider();
    const github = await startFakeGitHub();
    cleanups.push(() => github.close());
    const result = await runAction({
      inputs: {
        provider: 'together',
        'job-id': jobId,
        'api-key': KEY,
        'base-url': sim.baseUrl,
        'poll-interval': '0.02',
        'comment-on-pr': 'true',
        'github-token': 'ghs_fake-token',
      },
      env: { GITHUB_API_URL: `${github.apiUrl}/api/v3`, GITHUB_SERVER_URL: 'https://ghes.example.com' },
      event: pullRequestEvent({ number: 7 }),
      timeoutMs: 30_000,
    });
    cleanups.push(() => result.cleanup());
    expect(result.code).toBe(0);
    expect(github.requests.every((request) => request.path.startsWith('/api/v3/'))).toBe(true);
    const comment = github.comments.at(-1)?.body ?? '';
    expect(comment).toContain('https://ghes.example.com/');
    expect(comment).not.toContain('https://github.com/');
  });
});

describe('the runner’s debug log', () => {
  it('has one ::debug:: line a request with RUNNER_DEBUG=1, without the key; none by default', async () => {
    const { sim, jobId } = await provider();
    const debug = await watch(sim.baseUrl, jobId, { RUNNER_DEBUG: '1' });
    const lines = debug.stdout.split('\n').filter((line) => line.startsWith('::debug::'));
    expect(lines).toHaveLength(sim.requests.length);
    expect(lines[0]).toMatch(/^::debug::GET \/fine-tunes\/ft-[\w-]+ → 200 in \d+ ms; done$/);
    expect(lines.join('\n')).not.toContain(KEY);
    const quiet = await watch(sim.baseUrl, jobId, {});
    expect(quiet.stdout).not.toContain('::debug::');
  });
});
