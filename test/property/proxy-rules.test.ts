/**
 * The action picks a proxy exactly as @actions/http-client does (the library GitHub's own actions
 * and Octokit use): the same answer for any URL and any proxy and NO_PROXY variables.
 */
import { getProxyUrl } from '@actions/http-client/lib/proxy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proxyFor } from '../../src/http/proxy.js';

const VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;

const host = fc.constantFrom(
  'api.openai.com',
  'api.together.ai',
  'bedrock.us-east-1.amazonaws.com',
  'localhost',
  '127.0.0.1',
  'internal.corp.example',
  'corp.example',
);
const noProxyItem = fc.constantFrom(
  '*',
  'openai.com',
  '.openai.com',
  'api.openai.com:443',
  'api.openai.com:80',
  'corp.example',
  '.corp.example',
  'together.ai',
  ' ',
  '',
);
const proxyValue = fc.constantFrom(
  'http://proxy.corp.example:3128',
  'proxy.corp.example:8080',
  'http://user:p%40ss@proxy.corp.example:3128',
  '',
);

describe('proxy rules', () => {
  it('match @actions/http-client for any URL and any proxy variables', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https:', 'http:'),
        host,
        fc.constantFrom('', ':8443', ':443', ':80'),
        fc.record({
          https_proxy: proxyValue,
          HTTPS_PROXY: proxyValue,
          http_proxy: proxyValue,
          HTTP_PROXY: proxyValue,
          no_proxy: fc.array(noProxyItem, { maxLength: 3 }).map((items) => items.join(',')),
          NO_PROXY: fc.array(noProxyItem, { maxLength: 3 }).map((items) => items.join(',')),
        }),
        (protocol, hostname, port, env) => {
          const url = new URL(`${protocol}//${hostname}${port}/v1/fine_tuning/jobs/x`);
          const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
          try {
            for (const name of VARIABLES) process.env[name] = env[name];
            const theirs = getProxyUrl(url)?.href ?? null;
            expect(proxyFor(url, env)?.href ?? null).toBe(theirs);
          } finally {
            for (const name of VARIABLES) {
              if (saved[name] === undefined) delete process.env[name];
              else process.env[name] = saved[name];
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
