import { describe, expect, it } from 'vitest';
import { Input } from '../src/constants.js';
import { ConfigError } from '../src/errors.js';
import { parseBoolean, parseDecimal, readSettings } from '../src/settings.js';

const base = { provider: 'together', 'job-id': 'ft-123', 'api-key': 'key-abc' };

function settingsFrom(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return readSettings((name: Input) => inputs[name], env);
}

function errorFrom(inputs: Record<string, string>, env: NodeJS.ProcessEnv = {}): string {
  try {
    settingsFrom(inputs, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('readSettings', () => {
  it('applies the defaults of action.yml', () => {
    const settings = settingsFrom(base);
    expect(settings).toMatchObject({
      provider: 'together',
      jobId: 'ft-123',
      apiKey: 'key-abc',
      baseUrl: 'https://api.together.ai/v1',
      wait: true,
      pollIntervalMs: 30_000,
      timeoutMs: 330 * 60_000,
      cancelOnTimeout: false,
      cancelOnAbort: false,
      summary: true,
      commentOnPr: false,
    });
    expect([...settings.failOn]).toEqual(['failed', 'cancelled', 'timed_out', 'rejected']);
  });

  it('reads every input', () => {
    const settings = settingsFrom({
      provider: ' OpenAI ',
      'job-id': 'ftjob-9',
      'api-key': 'k',
      'base-url': 'http://127.0.0.1:9/v1///',
      wait: 'False',
      'poll-interval': '0.25',
      'timeout-minutes': '0',
      'fail-on': ' failed , TIMED_OUT ',
      'cancel-on-timeout': 'TRUE',
      'cancel-on-abort': 'true',
      summary: 'false',
      'comment-on-pr': 'true',
      'github-token': 'ghs_x',
    });
    expect(settings).toMatchObject({
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:9/v1',
      wait: false,
      pollIntervalMs: 250,
      timeoutMs: null,
      cancelOnTimeout: true,
      cancelOnAbort: true,
      summary: false,
      commentOnPr: true,
      githubToken: 'ghs_x',
    });
    expect([...settings.failOn]).toEqual(['failed', 'timed_out']);
  });

  it('takes an empty fail-on to mean never fail on the outcome', () => {
    expect(settingsFrom({ ...base, 'fail-on': '' }).failOn.size).toBe(0);
  });

  it('reads the key from the provider variable when the input is empty', () => {
    expect(settingsFrom({ ...base, 'api-key': '' }, { TOGETHER_API_KEY: 'from-env' }).apiKey).toBe(
      'from-env',
    );
    expect(settingsFrom({ ...base, provider: 'nebius', 'api-key': '' }, { NEBIUS_API_KEY: 'n' }).apiKey).toBe(
      'n',
    );
  });

  it('names both ways to give a key when there is none', () => {
    const message = errorFrom(
      { ...base, provider: 'openai', 'api-key': '' },
      { TOGETHER_API_KEY: 'wrong one' },
    );
    expect(message).toContain('`api-key`');
    expect(message).toContain('OPENAI_API_KEY');
  });

  it.each([
    [{ provider: 'anthropic' }, ['`provider`', '`together`', '`nebius`', '`openai`']],
    [{ provider: '' }, ['`provider`', 'required']],
    [{ 'job-id': '  ' }, ['`job-id`', 'required']],
    [{ 'job-id': 'ft-1\u0007' }, ['`job-id`', 'control characters']],
    [{ 'poll-interval': '0' }, ['`poll-interval`', 'positive']],
    [{ 'poll-interval': '-5' }, ['`poll-interval`', 'positive']],
    [{ 'poll-interval': '30s' }, ['`poll-interval`', '"30s"']],
    [{ 'poll-interval': 'NaN' }, ['`poll-interval`']],
    [{ 'timeout-minutes': 'soon' }, ['`timeout-minutes`', '`0` for no limit']],
    [{ wait: 'yes' }, ['`wait`', '`true` or `false`', '"yes"']],
    [{ 'cancel-on-abort': '1' }, ['`cancel-on-abort`', '`true` or `false`']],
    [{ 'fail-on': 'failed,boom' }, ['`fail-on`', '"boom"', '`timed_out`']],
    [{ 'base-url': 'ftp://x' }, ['`base-url`', 'http']],
    [{ 'base-url': 'not a url' }, ['`base-url`', 'not a URL']],
    [{ 'base-url': 'https://user:pw@host/v1' }, ['`base-url`', '`api-key`']],
  ])('rejects %o with a message naming the input and the fix', (bad, expected) => {
    const message = errorFrom({ ...base, ...bad });
    for (const part of expected) expect(message).toContain(part);
    expect(message.split('\n')).toHaveLength(1);
  });

  it('lists several problems in one message', () => {
    const message = errorFrom({ ...base, wait: 'maybe', 'poll-interval': 'fast' });
    expect(message).toMatch(/^Invalid inputs:\n- Input `wait`.*\n- Input `poll-interval`/);
  });

  it('never echoes the api key in an error', () => {
    const message = errorFrom({ ...base, 'api-key': 'sk-secret-value', wait: 'nope' });
    expect(message).not.toContain('sk-secret-value');
  });

  it('has a schema entry for every input', () => {
    const read: string[] = [];
    readSettings((name) => {
      read.push(name);
      return (base as Record<string, string>)[name];
    }, {});
    expect(read.sort()).toEqual(Object.values(Input).sort());
  });
});

describe('readSettings for Azure OpenAI and Fireworks', () => {
  const azure = {
    provider: 'azure-openai',
    'job-id': 'ftjob-900fcfc7ea1d4360a9f0cb1697b4eaa6',
    'api-key': 'k-azure',
  };

  it('requires base-url for Azure, with an example, in the same message as other problems', () => {
    const message = errorFrom({ ...azure, 'poll-interval': 'soon' });
    expect(message).toContain('Input `base-url` is required for azure-openai');
    expect(message).toContain('https://my-resource.openai.azure.com/openai/v1');
    expect(message).toContain('Input `poll-interval`');
  });

  it.each([
    ['https://r.openai.azure.com/openai/v1/', 'https://r.openai.azure.com/openai/v1'],
    ['https://r.openai.azure.com/openai', 'https://r.openai.azure.com/openai?api-version=2024-10-21'],
    [
      'https://r.openai.azure.com/openai?api-version=2025-04-01-preview',
      'https://r.openai.azure.com/openai?api-version=2025-04-01-preview',
    ],
  ])('takes %s as %s', (given, used) => {
    expect(settingsFrom({ ...azure, 'base-url': given }).baseUrl).toBe(used);
  });

  it('refuses any other query on an API root, and reads AZURE_OPENAI_API_KEY', () => {
    expect(errorFrom({ ...azure, 'base-url': 'https://r.openai.azure.com/openai?key=x' })).toContain(
      'only `api-version`',
    );
    expect(errorFrom({ ...base, 'base-url': 'https://api.together.ai/v1?x=1' })).toContain('without a query');
    const fromEnv = settingsFrom(
      { ...azure, 'api-key': '', 'base-url': 'https://r.openai.azure.com/openai/v1' },
      { AZURE_OPENAI_API_KEY: 'k-env' },
    );
    expect(fromEnv.apiKey).toBe('k-env');
    expect(
      errorFrom({ ...azure, 'api-key': '', 'base-url': 'https://r.openai.azure.com/openai/v1' }),
    ).toContain('AZURE_OPENAI_API_KEY');
  });

  it('wants a Fireworks job by its full name, and says the form', () => {
    const fireworks = { provider: 'fireworks', 'api-key': 'fw-key' };
    expect(errorFrom({ ...fireworks, 'job-id': 'k3v9x2qa' })).toContain(
      "Input `job-id` must be the job's full name, `accounts/<account>/supervisedFineTuningJobs/<id>`",
    );
    const settings = settingsFrom({
      ...fireworks,
      'job-id': 'accounts/acme/supervisedFineTuningJobs/k3v9x2qa',
    });
    expect(settings.baseUrl).toBe('https://api.fireworks.ai/v1');
  });
});

describe('several job ids', () => {
  it('are split on commas, spaces and lines, a duplicate kept once, in the order given', () => {
    const settings = settingsFrom({ ...base, 'job-id': ' ft-1, ft-2\n ft-3 ft-1,,\n' });
    expect(settings.jobIds).toEqual(['ft-1', 'ft-2', 'ft-3']);
    expect(settings.jobId).toBe('ft-1');
    expect(settingsFrom(base).jobIds).toEqual(['ft-123']);
  });

  it('are at most 50', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `ft-${i}`).join(',');
    expect(settingsFrom({ ...base, 'job-id': ids(50) }).jobIds).toHaveLength(50);
    expect(errorFrom({ ...base, 'job-id': ids(51) })).toContain('names 51 jobs; one step watches at most 50');
  });

  it('each meet the platform’s form, and share one API root', () => {
    expect(
      errorFrom({
        provider: 'fireworks',
        'api-key': 'k',
        'job-id': 'accounts/a/supervisedFineTuningJobs/x, y',
      }),
    ).toContain('`accounts/<account>/supervisedFineTuningJobs/<id>`');
    const vertex = (ids: string) =>
      errorFrom({ provider: 'vertex', 'job-id': ids }, { GOOGLE_APPLICATION_CREDENTIALS: '/dev/null' });
    expect(
      vertex('projects/p/locations/us-central1/tuningJobs/1 projects/p/locations/europe-west4/tuningJobs/2'),
    ).toContain('names jobs served from different API roots');
  });

  it('are ranked by `rank-by`: a metric, lowest first, or `max <metric>`', () => {
    expect(settingsFrom(base).rankBy).toEqual({ metric: 'valid_loss', highestWins: false });
    expect(settingsFrom({ ...base, 'rank-by': 'MAX valid_mean_token_accuracy' }).rankBy).toEqual({
      metric: 'valid_mean_token_accuracy',
      highestWins: true,
    });
    expect(errorFrom({ ...base, 'rank-by': 'lowest loss please' })).toContain('`rank-by` must be a metric');
  });
});

describe('parseBoolean', () => {
  it('accepts the YAML 1.2 core words only', () => {
    for (const word of ['true', 'True', 'TRUE']) expect(parseBoolean(word)).toBe(true);
    for (const word of ['false', 'False', 'FALSE']) expect(parseBoolean(word)).toBe(false);
    for (const word of ['yes', 'on', '1', 'tRUE', '', 'truee']) expect(parseBoolean(word)).toBeUndefined();
  });
});

describe('parseDecimal', () => {
  it('accepts plain decimals', () => {
    expect(parseDecimal('30')).toBe(30);
    expect(parseDecimal(' 0.5 ')).toBe(0.5);
    expect(parseDecimal('.25')).toBe(0.25);
    expect(parseDecimal('+2')).toBe(2);
  });
  it('rejects anything else', () => {
    for (const text of ['', '-1', '1e3', 'Infinity', '0x10', '1,5', '30s', '. '])
      expect(parseDecimal(text)).toBeUndefined();
  });
});
