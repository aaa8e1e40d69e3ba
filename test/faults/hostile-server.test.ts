/**
 * Defects that servers no one here wrote found in the bundled action: keys that cannot be sent,
 * hosts that can never answer, events routes that fail after the end, bodies too deep or too
 * large, keys echoed as JSON names. Each runs `dist/index.js` as the runner does.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { neverEnding, openaiCookbook, togetherQuickstart } from '../../sim/scenarios.js';
import { runAction } from '../../sim/runner.js';
import type { ProviderName } from '../../sim/types.js';
import { Output } from '../../src/constants.js';
import { actionOnSim } from '../support/action-on-sim.js';
import { jsonLines, runCliBundle } from '../support/cli.js';

/** The action's per-request limit in these runs; the windows derived from it shrink with it. */
const REQUEST_TIMEOUT_MS = 300;
const FAST = { FINE_TUNE_WATCH_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) };
const TLS_DIR = new URL('../fixtures/tls/', import.meta.url);
const tls = (name: string) => readFileSync(new URL(name, TLS_DIR), 'utf8');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function errorLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('::error::'));
}

/**
 * The action against an API it can never reach: it must end the step as a bad input does, with
 * an empty status and one error line, which is returned.
 */
async function unreachableRun(provider: ProviderName, baseUrl: string): Promise<string> {
  const result = await runAction({
    inputs: {
      provider,
      'job-id': 'ftjob-abc',
      'api-key': 'sk-test-0123456789',
      'base-url': baseUrl,
      'poll-interval': '0.05',
    },
    env: FAST,
    timeoutMs: 60_000,
  });
  cleanups.push(() => result.cleanup());
  expect(result.code).toBe(1);
  expect(result.outputs.status).toBe('');
  expect(result.summary).not.toBe('');
  const errors = errorLines(result.stdout);
  expect(errors).toHaveLength(1);
  return errors[0] ?? '';
}

describe('a key that cannot go in an HTTP header', () => {
  it.each([
    ['a zero-width space', 'sk-proj-abc\u200bdef0123456789'],
    ['a line break', 'sk-proj-abc\ndef0123456789'],
    ['a character outside Latin-1', 'sk-proj-abc€def0123456789'],
    ['a space inside', 'sk-proj-abc def0123456789'],
  ])('with %s ends before any request, naming api-key', async (_name, key) => {
    const run = await actionOnSim(neverEnding('openai'), { apiKey: key });
    expect(run.sim.requests).toHaveLength(0);
    expect(run.result.code).toBe(1);
    expect(run.result.outputs.status).toBe('');
    const errors = errorLines(run.result.stdout);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('`api-key`');
    expect(run.result.outputs.error).toContain('`api-key`');
    expect(Object.keys(run.result.outputs).sort()).toEqual(Object.values(Output).sort());
  });

  it('read from the environment, the message names the variable; wait: false exits too', async () => {
    const run = await actionOnSim(neverEnding('together'), {
      inputs: { 'api-key': '', wait: 'false' },
      run: { env: { TOGETHER_API_KEY: 'tgp_v1_abc\u200bdef0123456789' } },
    });
    expect(run.sim.requests).toHaveLength(0);
    expect(run.result.code).toBe(1);
    expect(run.result.outputs.error).toContain('TOGETHER_API_KEY');
  });

  it('the CLI exits 2 with a result line', async () => {
    const run = await runCliBundle(
      ['--provider', 'openai', '--job-id', 'ftjob-1', '--base-url', 'http://127.0.0.1:9/v1', '--json'],
      { env: { OPENAI_API_KEY: 'sk-abc\u200bdef0123456789' } },
    );
    expect(run.code).toBe(2);
    const last = jsonLines(run.stdout).at(-1);
    expect(last).toMatchObject({ kind: 'result', exit_code: 2 });
    expect(run.stderr).toContain('OPENAI_API_KEY');
  });
});

describe('an API that can never answer, before it ever has', () => {
  it('a host name that does not resolve ends the step with one message naming base-url', async () => {
    const error = await unreachableRun('openai', 'http://api.fine-tune-watch.invalid/v1');
    expect(error).toContain('base-url');
    expect(error).toContain('api.fine-tune-watch.invalid');
  });

  it('a certificate no CA vouches for ends the step naming NODE_EXTRA_CA_CERTS', async () => {
    const server = createHttpsServer({ key: tls('server.key'), cert: tls('server.pem') }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"running"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    const { port } = server.address() as AddressInfo;
    const error = await unreachableRun('openai', `https://127.0.0.1:${port}/v1`);
    expect(error).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('connections refused for the whole window end the step; after a first answer they are an outage', async () => {
    const refused = await unreachableRun('nebius', `http://127.0.0.1:${await closedPort()}/v1`);
    expect(refused).toContain('base-url');
    expect(refused).toContain('ECONNREFUSED');

    // Answered once, then the server goes away: retried as an outage until timeout-minutes.
    const outage = await actionOnSim(neverEnding('nebius'), {
      inputs: { 'timeout-minutes': '0.05', 'poll-interval': '0.05' },
      run: { env: FAST },
      onSim: (sim) => {
        sim.setFault((_request, n) => {
          if (n === 0) setImmediate(() => void sim.close());
          return undefined;
        });
      },
    });
    expect(outage.result.outputs.status).toBe('timed_out');
    expect(outage.result.stdout).toMatch(/ECONNREFUSED.*retrying in/);
  });
});

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the events route fails after the job read succeeded', () => {
  it.each([404, 503])(
    'HTTP %i: the status decides, with a warning, within about a minute',
    async (status) => {
      const scenario = openaiCookbook();
      const run = await actionOnSim(scenario, {
        run: { env: FAST },
        onSim: (sim) =>
          sim.setFault((request) =>
            request.route === 'events' && sim.job(scenario.id).terminal
              ? { kind: 'status', status, body: JSON.stringify({ error: { message: `events ${status}` } }) }
              : undefined,
          ),
      });
      expect(run.result.code).toBe(0);
      expect(run.result.outputs.status).toBe('succeeded');
      expect(run.result.outputs.model).not.toBe('');
      expect(run.result.stdout).toMatch(/^::warning::.*events could not be read/m);
      // The window is two request timeouts here (a minute with the real 30 s).
      expect(run.result.durationMs).toBeLessThan(20_000);
    },
  );
});

/** `{"a":{"a":…1…}}`, `depth` levels deep. */
function nested(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

describe('deeply nested JSON', () => {
  it('OpenAI: an event whose data is 5,000 levels deep is kept, its data cut, and the run goes on', async () => {
    const scenario = openaiCookbook();
    let sent = false;
    const run = await actionOnSim(scenario, {
      sim: {
        fault: (request) => {
          if (request.route !== 'events' || sent) return undefined;
          sent = true;
          const event = `{"object":"fine_tuning.job.event","id":"ftevent-deep","created_at":1700000000,"level":"info","type":"message","message":"deep","data":${nested(5000)}}`;
          return { kind: 'raw', body: `{"object":"list","data":[${event}],"has_more":false}` };
        },
      },
    });
    expect(run.result.stderr).toBe('');
    expect(run.result.code).toBe(0);
    expect(run.result.outputs.status).toBe('succeeded');
    const deep = run.events.find((event) => event.message === 'deep');
    expect(deep).toBeDefined();
    expect(JSON.stringify(deep?.data)).toMatch(/cut/);
  });

  it('Together: a job whose event list holds a 5,000-level value is read, not retried forever', async () => {
    const scenario = togetherQuickstart();
    const run = await actionOnSim(scenario, {
      inputs: { 'timeout-minutes': '0.5' },
      sim: {
        fault: (request, n) =>
          request.route === 'job' && n === 0
            ? {
                kind: 'raw',
                body: `{"id":"${scenario.id}","status":"pending","events":[{"created_at":"2025-04-03T03:19:40Z","level":"info","type":"job_pending","message":"deep","extra":${nested(5000)}}]}`,
              }
            : undefined,
      },
    });
    expect(run.result.stderr).toBe('');
    expect(run.result.outputs.status).toBe('succeeded');
    expect(run.events.some((event) => event.message === 'deep')).toBe(true);
    expect(run.result.stdout).not.toMatch(/not JSON/);
  });
});

describe('bodies larger than any fine-tuning API sends', () => {
  it.each(['openai', 'together'] as ProviderName[])(
    '%s: a body past the cap is refused once, with a clear message, in bounded memory',
    async (provider) => {
      const scenario = neverEnding(provider);
      const route = provider === 'together' ? 'job' : 'events';
      const run = await actionOnSim(scenario, {
        inputs: { 'timeout-minutes': '0.05' },
        run: { probe: true },
        sim: {
          fault: (request) =>
            request.route === route
              ? {
                  kind: 'write',
                  write: (res) => {
                    // 1 GiB promised, chunked, without an end: only a cap stops a reader.
                    res.writeHead(200, { 'content-type': 'application/json' });
                    const chunk = Buffer.alloc(1 << 20, 0x20);
                    res.write('{"object":"list","data":[');
                    let sent = 0;
                    const pump = () => {
                      while (sent < 1024 && res.write(chunk)) sent++;
                      if (sent < 1024 && !res.destroyed) res.once('drain', pump);
                      else res.end(']}');
                    };
                    pump();
                  },
                }
              : undefined,
        },
      });
      expect(run.result.stderr).toBe('');
      expect(run.result.stdout).toMatch(/more than \d+ MB/);
      // Refused, not downloaded again and again.
      expect(run.sim.count(route)).toBe(1);
      expect(run.result.peakRssBytes ?? 0).toBeLessThan(600 * 1024 * 1024);
    },
  );
});

describe('timeout-minutes', () => {
  it('above 35,791 (beyond setTimeout) still means that many minutes', async () => {
    const run = await actionOnSim(togetherQuickstart(), { inputs: { 'timeout-minutes': '40000' } });
    expect(run.result.code).toBe(0);
    expect(run.result.outputs.status).toBe('succeeded');
  });
});

describe('the key as a JSON name', () => {
  const KEY = 'sk-proj-Name5ecret-0123456789abcdef';
  const escaped = [...KEY].map((char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');

  it('OpenAI: echoed as an object key in event data (metrics) and checkpoint metrics', async () => {
    const scenario = openaiCookbook();
    let sent = 0;
    const run = await actionOnSim(scenario, {
      apiKey: KEY,
      sim: {
        fault: (request) => {
          if (request.route === 'events' && sent === 0) {
            sent++;
            const event = `{"id":"ftevent-echo","created_at":1700000000,"level":"info","type":"metrics","message":"echo","data":{"step":1,"train_loss":1.5,"${escaped}":0.25,"nested":{"${escaped}":"x"}}}`;
            return { kind: 'raw', body: `{"object":"list","data":[${event}],"has_more":false}` };
          }
          if (request.route === 'checkpoints') {
            const checkpoint = `{"id":"ftckpt-1","step_number":3,"created_at":1700000100,"fine_tuned_model_checkpoint":"ft:x:ckpt","metrics":{"step":3,"${escaped}":0.5}}`;
            return { kind: 'raw', body: `{"object":"list","data":[${checkpoint}],"has_more":false}` };
          }
          return undefined;
        },
      },
    });
    expect(run.result.code).toBe(0);
    const written = [
      JSON.stringify(run.result.outputs),
      readFileSync(run.result.outputs['events-file'] ?? '', 'utf8'),
      run.result.summary,
      run.result.stdout.replace(`::add-mask::${KEY}`, ''),
    ].join('\n');
    expect(written).not.toContain(KEY);
    expect(run.events.find((event) => event.message === 'echo')?.data).toMatchObject({ '***': 0.25 });
  });

  it('Together: echoed as a metric name by the metrics endpoint', async () => {
    const run = await actionOnSim(togetherQuickstart(), {
      apiKey: KEY,
      sim: {
        fault: (request) =>
          request.route === 'metrics'
            ? { kind: 'raw', body: `{"metrics":[{"train/global_step":1,"train/loss":1.2,"${escaped}":7}]}` }
            : undefined,
      },
    });
    expect(run.result.code).toBe(0);
    expect(run.result.outputs.metrics).not.toContain(KEY);
    expect(JSON.parse(run.result.outputs.metrics ?? '{}')).toMatchObject({ '***': 7 });
  });
});

describe('Together with wait: false', () => {
  it('prints and writes the events of the re-read a terminal event prompts', async () => {
    const scenario = togetherQuickstart();
    let jobReads = 0;
    const run = await actionOnSim(scenario, {
      inputs: { wait: 'false' },
      sim: {
        advanceOn: 'manual',
        fault: (request) => {
          if (request.route !== 'job') return undefined;
          jobReads++;
          const events = [
            '{"created_at":"2025-04-03T03:19:40Z","level":"info","type":"job_pending","message":"created"}',
            '{"created_at":"2025-04-03T03:19:41Z","level":"error","type":"job_error","message":"it broke"}',
          ];
          // The first read shows a terminal event while the status is still `running`; the
          // re-read it prompts brings one more event, and the status is still not final.
          if (jobReads === 2)
            events.push(
              '{"created_at":"2025-04-03T03:19:42Z","level":"info","type":"retrying","message":"retrying on another node"}',
            );
          return {
            kind: 'raw',
            body: `{"id":"${scenario.id}","status":"running","events":[${events.join(',')}]}`,
          };
        },
      },
    });
    expect(jobReads).toBe(2);
    expect(run.result.outputs.status).toBe('running');
    expect(run.events.map((event) => event.message)).toEqual([
      'created',
      'it broke',
      'retrying on another node',
    ]);
    expect(run.result.stdout).toContain('retrying on another node');
  });
});

describe('model on a job that did not succeed', () => {
  it('Together names its output model from creation: empty unless succeeded, and not offered for deploy', async () => {
    const run = await actionOnSim(neverEnding('together'), {
      inputs: { wait: 'false' },
      sim: {
        fault: (request) =>
          request.route === 'job'
            ? {
                kind: 'raw',
                body: '{"id":"ft-x","status":"error","model_output_name":"me/model-ft-x","events":[{"created_at":"2025-04-03T03:19:41Z","level":"error","type":"job_error","message":"out of memory"}]}',
              }
            : undefined,
      },
    });
    expect(run.result.outputs.status).toBe('failed');
    expect(run.result.outputs.model).toBe('');
    expect(run.result.summary).not.toContain('Model to deploy');
    expect(run.result.summary).toContain('me/model-ft-x');
    expect(run.result.summary).toMatch(/not deployable/i);
  });
});

describe('smaller defects', () => {
  it('a finished job shows no ETA; a redirect names where it pointed; gzip names Content-Encoding', async () => {
    const finished = await actionOnSim(neverEnding('together'), {
      inputs: { wait: 'false' },
      sim: {
        fault: (request) =>
          request.route === 'job'
            ? {
                kind: 'raw',
                body: '{"id":"ft-x","status":"completed","model_output_name":"me/m","progress":{"estimate_available":true,"seconds_remaining":66967200},"events":[]}',
              }
            : undefined,
      },
    });
    expect(finished.result.outputs.status).toBe('succeeded');
    expect(finished.result.summary).not.toMatch(/left/);

    const redirected = await actionOnSim(neverEnding('openai'), {
      sim: {
        fault: () => ({
          kind: 'write',
          write: (res) => {
            res.writeHead(301, { location: 'https://api.example.com/v1/fine_tuning/jobs/x' });
            res.end();
          },
        }),
      },
    });
    expect(redirected.result.code).toBe(1);
    expect(redirected.result.outputs.error).toContain('https://api.example.com/v1/fine_tuning/jobs/x');
    expect(redirected.sim.requests).toHaveLength(1);

    const asked: (string | undefined)[] = [];
    const gzipped = await actionOnSim(neverEnding('openai'), {
      inputs: { 'timeout-minutes': '0.02' },
      run: { env: FAST },
      sim: {
        fault: () => ({
          kind: 'write',
          write: (res, req) => {
            asked.push(req.headers['accept-encoding']);
            res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
            res.end(gzipSync('{"status":"running"}'));
          },
        }),
      },
    });
    expect(asked[0]).toBe('identity');
    expect(gzipped.result.stdout).toMatch(/Content-Encoding/);
  });
});
