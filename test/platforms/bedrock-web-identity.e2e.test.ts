/**
 * Amazon Bedrock with web identity credentials, end to end: the bundled action as a child process
 * with only AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and AWS_ROLE_SESSION_NAME set (as on EKS
 * with IAM roles for service accounts, or a runner that writes its OIDC token to a file). The AWS
 * SDK exchanges the token with STS AssumeRoleWithWebIdentity — here a loopback fake reached through
 * AWS_ENDPOINT_URL_STS — and signs Bedrock requests with the role session it gets, which the
 * simulator checks. Sessions that near their end are renewed with the token file; when STS refuses
 * to renew, the step ends at once with one message instead of retrying until timeout-minutes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunActionResult, runAction } from '../../sim/runner.js';
import { bedrockCompleted, neverEnding } from '../../sim/scenarios.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario, RequestRecord } from '../../sim/types.js';
import {
  type FakeSts,
  type FakeStsOptions,
  STS_ERRORS,
  type StsAnswer,
  type StsError,
  startFakeSts,
} from '../support/fake-sts.js';
import { runnerCommands } from '../support/runner-commands.js';

/** The GitHub OIDC token the runner wrote to the token file; the fake STS trusts only this one. */
const WEB_IDENTITY_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6ImZ0dy13ZWItaWQifQ.ftw-e2e-oidc-claims-repo-octo-org.c2lnbmF0dXJlLXdlYmlk';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ftw-bedrock-ci';
const SESSION_NAME = 'GitHubActions-fine-tune-watch';
/** What AssumeRoleWithWebIdentity hands out: temporary keys (ASIA…) with their session token. */
const SESSION = {
  accessKeyId: 'ASIA3XFRBF23WEBIDENT1',
  secretAccessKey: 'Wb1dEntItY/Se5510nSecretKey/ForE2eTests00',
  sessionToken: 'IQoJb3JpZ2luX2VjEWebIdentitySessionToken/ForBedrockE2e+Tests/Only==',
};
const SECRETS = [SESSION.secretAccessKey, SESSION.sessionToken, WEB_IDENTITY_TOKEN];
const REGION = 'us-east-1';
const MODEL_ARN =
  'arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/ly16hhi765j4';

type Env = Record<string, string | undefined>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-bedrock-webid-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

interface Step {
  sim: FakeProvider;
  sts: FakeSts;
  result: RunActionResult;
}

interface StepOptions {
  sts?: Partial<FakeStsOptions>;
  sim?: Partial<FakeProviderOptions>;
  inputs?: Record<string, string>;
  /** Changes to the web identity variables (undefined removes one), given the token file's path. */
  env?: Env | ((tokenFile: string) => Env);
  /** Set once the simulator runs, before the action starts (for hooks that need it). */
  onSim?: (sim: FakeProvider) => void;
  /** Each chunk of the action's stdout as it arrives. */
  onStdout?: (chunk: string) => void;
  runTimeoutMs?: number;
}

/**
 * dist/index.js as a Bedrock step on a runner with web identity: the token file, the role and a
 * session name; AWS_REGION; STS at the fake; no AWS_ACCESS_KEY_ID, no ~/.aws, no instance metadata.
 */
async function webIdentityStep(scenario: NamedScenario, options: StepOptions = {}): Promise<Step> {
  const sts = await startFakeSts({
    credentials: SESSION,
    webIdentityToken: WEB_IDENTITY_TOKEN,
    roleArn: ROLE_ARN,
    ...options.sts,
  });
  cleanups.push(() => sts.close());
  const sim = await startFakeProvider({
    provider: 'bedrock',
    apiKey: '',
    jobs: { [scenario.id]: scenario },
    awsCredentials: SESSION,
    awsRegion: REGION,
    ...options.sim,
  });
  cleanups.push(() => sim.close());
  options.onSim?.(sim);
  const dir = tempDir();
  const tokenFile = join(dir, 'web-identity-token');
  writeFileSync(tokenFile, WEB_IDENTITY_TOKEN);
  const result = await runAction({
    inputs: {
      provider: 'bedrock',
      'job-id': scenario.id,
      'base-url': sim.baseUrl,
      'poll-interval': '0.02',
      ...options.inputs,
    },
    env: {
      HOME: tempDir(),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_ARN: ROLE_ARN,
      AWS_ROLE_SESSION_NAME: SESSION_NAME,
      AWS_REGION: REGION,
      AWS_ENDPOINT_URL_STS: sts.origin,
      ...(typeof options.env === 'function' ? options.env(tokenFile) : options.env),
    },
    timeoutMs: options.runTimeoutMs ?? 30_000,
    ...(options.onStdout ? { onStdout: options.onStdout } : {}),
  });
  cleanups.push(() => result.cleanup());
  return { sim, sts, result };
}

/** The completed scenario with this file's model ARN on its last stage. */
function completed(): NamedScenario {
  const scenario = bedrockCompleted();
  const last = scenario.stages.length - 1;
  return {
    ...scenario,
    stages: scenario.stages.map((stage, i) =>
      i === last ? { ...stage, job: { ...stage.job, outputModelArn: MODEL_ARN } } : stage,
    ),
  };
}

function answered(requests: readonly RequestRecord[]): string[] {
  return requests.map((request) => `${request.method} ${request.route} ${request.status ?? 'none'}`);
}

function stsAnswered(sts: FakeSts): string[] {
  return sts.calls.map((call) => `${call.status} ${call.code ?? 'credentials'}`);
}

function commandsNamed(name: string, stdout: string): string[] {
  return runnerCommands(stdout)
    .filter((command) => command.name === name)
    .map((command) => command.line);
}

/** None of the secrets anywhere a workflow or a reader of the run would see them. */
function expectNoSecrets(result: RunActionResult): void {
  const eventsFile = result.outputs['events-file'];
  const places: Record<string, string> = {
    stdout: result.stdout,
    stderr: result.stderr,
    outputs: Object.values(result.outputs).join('\n'),
    summary: result.summary,
    'events-file': eventsFile ? readFileSync(eventsFile, 'utf8') : '',
  };
  for (const secret of SECRETS)
    for (const [where, text] of Object.entries(places))
      expect(text.includes(secret), `${where} holds ${secret.slice(0, 6)}…`).toBe(false);
}

describe('Amazon Bedrock: web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN)', () => {
  it('exchanges the token file for a role session and signs every request with it', async () => {
    const scenario = completed();
    const { result, sim, sts } = await webIdentityStep(scenario);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs).toMatchObject({
      status: 'succeeded',
      'provider-status': 'Completed',
      model: MODEL_ARN,
    });
    // One exchange (the session lasts an hour), as the SDK makes it: the token file's content and
    // the role, form-encoded, to STS's query API.
    expect(sts.calls).toHaveLength(1);
    expect(sts.calls[0]).toMatchObject({
      method: 'POST',
      path: '/',
      contentType: expect.stringMatching(/^application\/x-www-form-urlencoded/),
      action: 'AssumeRoleWithWebIdentity',
      version: '2011-06-15',
      webIdentityToken: WEB_IDENTITY_TOKEN,
      roleArn: ROLE_ARN,
      roleSessionName: SESSION_NAME,
      status: 200,
    });
    // Every read signed with the session's key, secret and token: none refused.
    expect(answered(sim.requests)).toEqual(scenario.stages.map(() => 'GET job 200'));
    expect(result.summary).toContain(MODEL_ARN);
    expectNoSecrets(result);
  });

  it('asks STS in the job ARN’s region when AWS_REGION is unset, without a word on stderr', async () => {
    const { result, sts } = await webIdentityStep(completed(), { env: { AWS_REGION: undefined } });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(sts.calls).toHaveLength(1);
  });

  it('names the session itself when AWS_ROLE_SESSION_NAME is unset, as the SDK does', async () => {
    const { result, sts } = await webIdentityStep(completed(), { env: { AWS_ROLE_SESSION_NAME: undefined } });
    expect(result.code).toBe(0);
    expect(sts.calls.map((call) => call.roleSessionName)).toEqual([
      expect.stringMatching(/^aws-sdk-js-session-\d+$/),
    ]);
  });

  const refusedAtStart: [string, Partial<FakeStsOptions>, string][] = [
    ['a token STS does not accept', { webIdentityToken: 'eyJ.another-token.sig' }, 'InvalidIdentityToken'],
    [
      'a role that does not trust the token',
      { roleArn: 'arn:aws:iam::123456789012:role/other' },
      'AccessDenied',
    ],
    ['an expired token', { answer: () => STS_ERRORS.expiredToken() }, 'ExpiredToken'],
  ];
  it.each(refusedAtStart)(
    'stops before any Bedrock request on %s, with one message',
    async (_, sts, code) => {
      const { result, sim, sts: fake } = await webIdentityStep(completed(), { sts });
      expect(result.code).toBe(1);
      expect(result.timedOut).toBe(false);
      expect(result.durationMs).toBeLessThan(10_000);
      expect(sim.requests).toEqual([]);
      // A refusal is not retried, by the SDK or the action.
      expect(fake.calls).toHaveLength(1);
      const errors = commandsNamed('error', result.stdout);
      expect(errors).toHaveLength(1);
      for (const text of [errors[0] ?? '', result.outputs.error ?? '']) {
        expect(text).toContain(code);
        expect(text).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
        expect(text).toContain('aws-actions/configure-aws-credentials');
      }
      expect(result.outputs.status).toBe('');
      expect(result.stderr).toBe('');
      expectNoSecrets(result);
    },
  );
});

describe('Amazon Bedrock: renewing a web identity session during a long wait', () => {
  /** Sessions that need renewing soon: the SDK asks STS again on each request within 5 minutes of expiry. */
  const SHORT_SESSION_MS = 2_000;
  /** The SDK's STS client tries a call three times (its standard retry mode) before it gives up. */
  const SDK_ATTEMPTS = 3;

  const refusals: [string, () => StsError][] = [
    ['ExpiredTokenException', STS_ERRORS.expiredToken],
    ['InvalidIdentityToken', STS_ERRORS.invalidIdentityToken],
    ['AccessDenied', STS_ERRORS.accessDenied],
  ];
  it.each(refusals)(
    'ends the step once the session expires and STS refuses a new one (%s), not at timeout-minutes',
    async (code, refusal) => {
      const { result, sim, sts } = await webIdentityStep(neverEnding('bedrock'), {
        sts: { lifetimeMs: SHORT_SESSION_MS, answer: (_, n) => (n === 0 ? undefined : refusal()) },
        inputs: { 'timeout-minutes': '0.5' },
        runTimeoutMs: 60_000,
      });
      // The step's real budget is 30 s; it ends soon after the 2 s session does.
      expect(result.timedOut).toBe(false);
      expect(result.durationMs).toBeLessThan(10_000);
      expect(result.code).toBe(1);
      expect(result.outputs.status).toBe('');
      // Renewals were asked for (and refused) while the session still held; only then did it end.
      expect(stsAnswered(sts)[0]).toBe('200 credentials');
      expect(sts.calls.length).toBeGreaterThan(1);
      const refused = refusal();
      expect(new Set(stsAnswered(sts).slice(1))).toEqual(new Set([`${refused.status} ${refused.code}`]));
      // Every request went out signed with a valid session: none refused, none after it expired.
      expect(sim.requests.length).toBeGreaterThan(0);
      expect(new Set(answered(sim.requests))).toEqual(new Set(['GET job 200']));
      const expiry = sts.calls[0]?.expiresAt ?? 0;
      // (Signed before the expiry; received a moment later at most.)
      expect(Math.max(...sim.requests.map((request) => request.time))).toBeLessThan(expiry + 500);
      expect(result.stdout).not.toMatch(/retrying/i);
      const errors = commandsNamed('error', result.stdout);
      expect(errors).toHaveLength(1);
      for (const text of [errors[0] ?? '', result.outputs.error ?? '']) {
        expect(text).toContain(code);
        expect(text).toContain('aws-actions/configure-aws-credentials');
        expect(text).toContain('role-duration-seconds');
        expect(text).toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
      }
      expectNoSecrets(result);
    },
    70_000,
  );

  it('says what refused, without the web identity advice, when a profile holds the token file', async () => {
    // The same exchange configured in a shared config file's profile (as some self-hosted runners
    // set it up): the refusal is reported, and the advice names no variable the step does not use.
    const { result, sim, sts } = await webIdentityStep(neverEnding('bedrock'), {
      sts: {
        lifetimeMs: SHORT_SESSION_MS,
        answer: (_, n) => (n === 0 ? undefined : STS_ERRORS.expiredToken()),
      },
      env: (tokenFile) => {
        const config = join(tempDir(), 'config');
        writeFileSync(
          config,
          ['[profile ml-ci]', `role_arn = ${ROLE_ARN}`, `web_identity_token_file = ${tokenFile}`, ''].join(
            '\n',
          ),
        );
        return {
          AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
          AWS_ROLE_ARN: undefined,
          AWS_ROLE_SESSION_NAME: undefined,
          AWS_CONFIG_FILE: config,
          AWS_SHARED_CREDENTIALS_FILE: join(tempDir(), 'credentials'),
          AWS_PROFILE: 'ml-ci',
        };
      },
      inputs: { 'timeout-minutes': '0.5' },
      runTimeoutMs: 60_000,
    });
    expect(result.timedOut).toBe(false);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.code).toBe(1);
    expect(sts.calls[0]).toMatchObject({
      webIdentityToken: WEB_IDENTITY_TOKEN,
      roleArn: ROLE_ARN,
      status: 200,
    });
    expect(new Set(answered(sim.requests))).toEqual(new Set(['GET job 200']));
    const errors = commandsNamed('error', result.stdout);
    expect(errors).toHaveLength(1);
    for (const text of [errors[0] ?? '', result.outputs.error ?? '']) {
      expect(text).toContain('ExpiredTokenException');
      expect(text).toContain('aws-actions/configure-aws-credentials');
      expect(text).not.toContain('AWS_WEB_IDENTITY_TOKEN_FILE');
    }
    expectNoSecrets(result);
  }, 70_000);

  it('rides out an STS 503 during a renewal (the SDK asks again) and succeeds', async () => {
    const scenario = completed();
    const { result, sim, sts } = await webIdentityStep(scenario, {
      sts: {
        lifetimeMs: SHORT_SESSION_MS,
        answer: (_, n) => (n === 1 ? STS_ERRORS.unavailable() : undefined),
      },
    });
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    expect(stsAnswered(sts).slice(0, 3)).toEqual([
      '200 credentials',
      '503 ServiceUnavailable',
      '200 credentials',
    ]);
    expect(answered(sim.requests)).toEqual(scenario.stages.map(() => 'GET job 200'));
    expectNoSecrets(result);
  });

  /** An outage of STS, and how stsAnswered shows a call that met it. */
  const outages: [string, () => StsAnswer, string][] = [
    ['503 ServiceUnavailable', STS_ERRORS.unavailable, '503 ServiceUnavailable'],
    ['400 Throttling', STS_ERRORS.throttling, '400 Throttling'],
    ['a dropped connection', STS_ERRORS.reset, '0 reset'],
  ];
  it.each(outages)(
    'retries a renewal that meets %s past the SDK’s own attempts, then carries on',
    async (_, outage, met) => {
      const scenario = completed();
      const RETRY_LINE = 'the credentials could not be refreshed';
      let sim: FakeProvider | undefined;
      let expiresAt = Number.POSITIVE_INFINITY;
      let retried = false;
      let recoveredAt = Number.POSITIVE_INFINITY;
      const step = await webIdentityStep(scenario, {
        // A 1 s session, and STS answering nothing but the outage after the first exchange until
        // the action has logged a retry: the session expired, and a renewal failed the SDK's attempts.
        sts: {
          lifetimeMs: 1_000,
          answer: (call, n) => {
            if (n === 0) {
              expiresAt = call.at + 1_000;
              return undefined;
            }
            if (!retried) return outage();
            recoveredAt = Math.min(recoveredAt, call.at);
            return undefined;
          },
        },
        // The job stays in progress until a session from after the outage signs a read.
        sim: {
          advanceOn: 'manual',
          fault: (request) => {
            if (request.route === 'job' && request.time >= recoveredAt) sim?.advance(scenario.id);
            return undefined;
          },
        },
        onSim: (started) => {
          sim = started;
        },
        onStdout: (chunk) => {
          if (chunk.includes(RETRY_LINE)) retried = true;
        },
        // Bounds the wait should the action never retry (the outage would then never end).
        inputs: { 'timeout-minutes': '0.25' },
      });
      const { result, sts } = step;
      expect(result.code).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      // The SDK made its own attempts after the session expired, then the action asked again,
      // saying why, and a later renewal went through.
      expect(
        sts.calls.filter((call) => call.at >= expiresAt && call.status !== 200).length,
      ).toBeGreaterThanOrEqual(SDK_ATTEMPTS);
      expect(stsAnswered(sts)).toContain(met);
      expect(result.stdout).toMatch(new RegExp(`${RETRY_LINE}: .+; retrying in `));
      expect(stsAnswered(sts).at(-1)).toBe('200 credentials');
      // No read went out unsigned or with an expired session.
      expect(new Set(answered(step.sim.requests))).toEqual(new Set(['GET job 200']));
      expect(commandsNamed('error', result.stdout)).toEqual([]);
      expectNoSecrets(result);
    },
    30_000,
  );

  it.each(outages)(
    'waits out an STS that meets the first exchange with %s: an outage, not “no credentials”',
    async (_, outage, met) => {
      const RETRY_LINE = 'the credentials could not be refreshed';
      let retried = false;
      const { result, sim, sts } = await webIdentityStep(completed(), {
        // STS answers nothing but the outage until the action has logged a retry of its own.
        sts: { answer: () => (retried ? undefined : outage()) },
        onStdout: (chunk) => {
          if (chunk.includes(RETRY_LINE)) retried = true;
        },
        inputs: { 'timeout-minutes': '0.25' },
      });
      expect(result.code).toBe(0);
      expect(result.outputs.status).toBe('succeeded');
      // The SDK's own attempts at start, more after the action asked again, then a session.
      expect(sts.calls.filter((call) => call.status !== 200).length).toBeGreaterThan(SDK_ATTEMPTS);
      expect(stsAnswered(sts)).toContain(met);
      expect(stsAnswered(sts).at(-1)).toBe('200 credentials');
      expect(result.stdout).toMatch(new RegExp(`${RETRY_LINE}: .+; retrying in `));
      expect(result.stdout).not.toContain('No AWS credentials');
      // No read went out unsigned.
      expect(new Set(answered(sim.requests))).toEqual(new Set(['GET job 200']));
      expectNoSecrets(result);
    },
    30_000,
  );
});
