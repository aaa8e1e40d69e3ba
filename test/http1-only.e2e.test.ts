/**
 * The action speaks HTTP/1.1 only, and its bundle leaves undici's HTTP/2 client out
 * (src/http/client-h2-off.js): `node:http2` costs about 4 ms of every start for code that never
 * runs. These tests fail when an undici upgrade loads `node:http2` again (the file was renamed or
 * moved) or when a pool could negotiate HTTP/2 (the stand-in would then end the step).
 *
 * The servers here offer HTTP/2 and HTTP/1.1 over TLS, as the providers' and GitHub's fronts do.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../sim/github-api.js';
import { pullRequestEvent } from '../sim/github-event.js';
import { DEFAULT_MAIN, runAction } from '../sim/runner.js';
import { openaiCookbook } from '../sim/scenarios.js';
import { startFakeProvider } from '../sim/server.js';
import { startProxy } from './support/proxy-server.js';
import { startTlsFront, TEST_CA_FILE, type TlsFront } from './support/tls-front.js';

const KEY = 'sk-http1-only-0123456789';
const PROVIDER_HOST = 'api.fine-tune-watch.test';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function openAiBehindHttp2Front(): Promise<{ front: TlsFront; jobId: string; simPort: number }> {
  const scenario = openaiCookbook();
  const sim = await startFakeProvider({ provider: 'openai', apiKey: KEY, jobs: { [scenario.id]: scenario } });
  cleanups.push(() => sim.close());
  const front = await startTlsFront(sim.port, { offerHttp2: true });
  cleanups.push(() => front.close());
  return { front, jobId: scenario.id, simPort: sim.port };
}

async function watch(
  baseUrl: string,
  jobId: string,
  env: Record<string, string> = {},
  extra = {},
  inputs: Record<string, string> = {},
) {
  const result = await runAction({
    inputs: {
      provider: 'openai',
      'job-id': jobId,
      'api-key': KEY,
      'base-url': baseUrl,
      'poll-interval': '0.02',
      ...inputs,
    },
    env: { NODE_EXTRA_CA_CERTS: TEST_CA_FILE, ...env },
    probe: true,
    timeoutMs: 30_000,
    ...extra,
  });
  cleanups.push(() => result.cleanup());
  return result;
}

describe('HTTP/1.1 only', () => {
  it('asks a server that offers HTTP/2 in HTTP/1.1, and never loads node:http2', async () => {
    const { front, jobId } = await openAiBehindHttp2Front();
    const result = await watch(`https://127.0.0.1:${front.port}/v1`, jobId);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(front.versions.length).toBeGreaterThan(2);
    expect(new Set(front.versions)).toEqual(new Set(['1.1']));
    // The probe saw the process's own list: tls was loaded (so the list is real), http2 was not.
    expect(result.builtins).toContain('tls');
    expect(result.builtins).not.toContain('http2');
  });

  it('through a proxy too: the tunnelled requests are HTTP/1.1', async () => {
    const { front, jobId } = await openAiBehindHttp2Front();
    const proxy = await startProxy({ [PROVIDER_HOST]: front.port });
    cleanups.push(() => proxy.close());
    const result = await watch(`https://${PROVIDER_HOST}:${front.port}/v1`, jobId, {
      HTTPS_PROXY: proxy.url,
    });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(proxy.records.some((record) => record.method === 'CONNECT')).toBe(true);
    expect(new Set(front.versions)).toEqual(new Set(['1.1']));
  });

  it('the pull-request comment goes to a GitHub API that offers HTTP/2, in HTTP/1.1', async () => {
    const { front, jobId } = await openAiBehindHttp2Front();
    const github: FakeGitHub = await startFakeGitHub();
    cleanups.push(() => github.close());
    const githubFront = await startTlsFront(Number(new URL(github.apiUrl).port), { offerHttp2: true });
    cleanups.push(() => githubFront.close());
    const result = await watch(
      `https://127.0.0.1:${front.port}/v1`,
      jobId,
      { GITHUB_API_URL: `https://127.0.0.1:${githubFront.port}` },
      { event: pullRequestEvent({ number: 7 }) },
      { 'comment-on-pr': 'true', 'github-token': 'ghs_fake-token' },
    );
    expect(result.code).toBe(0);
    expect(github.comments).toHaveLength(1);
    expect(githubFront.versions.length).toBeGreaterThan(0);
    expect(new Set(githubFront.versions)).toEqual(new Set(['1.1']));
  });

  it('the bundle has the stand-in beside it, where undici’s require finds it', () => {
    const connectH2 = createRequire(DEFAULT_MAIN)('./client-h2.js') as () => void;
    expect(() => connectH2()).toThrow(/HTTP\/1\.1 only/);
  });
});
