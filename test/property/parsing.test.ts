/**
 * Parsing of durations and booleans, as properties: what is accepted is exactly the documented
 * grammar, what is accepted means what it says, and nothing else gets through.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Input } from '../../src/constants.js';
import { ConfigError } from '../../src/errors.js';
import { parseRetryAfter } from '../../src/http/backoff.js';
import { parseBoolean, parseDecimal, readSettings } from '../../src/settings.js';

const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];
/** A plain decimal as documented: digits, an optional fraction, an optional leading `+`. */
const GRAMMAR = /^\+?(\d+(\.\d*)?|\.\d+)$/;

const whitespace = fc.constantFrom('', ' ', '  ', '\t', '\n', ' \r\n');
const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 });
/** Strings near the grammar: digits, dots, signs, exponents, hex, underscores, words, spaces. */
const nearlyNumbers = fc.string({
  unit: fc.constantFrom(...'0123456789..+-eExX_ ,', 'Infinity', 'NaN', '٣', '\u00a0'),
  maxLength: 14,
});

const base = { provider: 'openai', 'job-id': 'ftjob-1', 'api-key': 'k' };
function settingsWith(inputs: Record<string, string>) {
  const all: Record<string, string> = { ...base, ...inputs };
  return readSettings((name: Input) => all[name], {});
}
function rejects(inputs: Record<string, string>): boolean {
  try {
    settingsWith(inputs);
    return false;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return true;
  }
}

describe('parseDecimal', () => {
  it('reads every plain decimal, padded or not, as the number it writes', () => {
    fc.assert(
      fc.property(
        digits,
        fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }), { nil: undefined }),
        fc.boolean(),
        whitespace,
        whitespace,
        (whole, fraction, plus, before, after) => {
          const core = `${plus ? '+' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`;
          expect(parseDecimal(`${before}${core}${after}`)).toBe(Number(core));
        },
      ),
    );
  });

  it('accepts nothing outside the grammar, and never a negative, infinite or NaN value', () => {
    fc.assert(
      fc.property(fc.oneof(nearlyNumbers, fc.string()), (raw) => {
        const value = parseDecimal(raw);
        if (value === undefined) return;
        expect(raw.trim()).toMatch(GRAMMAR);
        expect(Number.isFinite(value) && value >= 0).toBe(true);
        expect(value).toBe(Number(raw.trim()));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('parseBoolean', () => {
  it('accepts exactly the YAML 1.2 core-schema words, padded or not', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(
            ...TRUE_WORDS,
            ...FALSE_WORDS,
            'tRUE',
            'yes',
            'on',
            '1',
            'y',
            'falsey',
            'true true',
          ),
          fc.string({ maxLength: 8 }),
        ),
        whitespace,
        whitespace,
        (word, before, after) => {
          const expected = TRUE_WORDS.includes(word) ? true : FALSE_WORDS.includes(word) ? false : undefined;
          expect(parseBoolean(`${before}${word}${after}`)).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('makes every boolean input reject anything else, naming the input', () => {
    const inputs = ['wait', 'cancel-on-timeout', 'cancel-on-abort', 'summary', 'comment-on-pr'];
    fc.assert(
      fc.property(fc.constantFrom(...inputs), fc.string({ minLength: 1, maxLength: 10 }), (input, raw) => {
        fc.pre(raw.trim() !== '' && parseBoolean(raw) === undefined);
        expect(() => settingsWith({ [input]: raw })).toThrow(`Input \`${input}\``);
      }),
    );
  });
});

describe('poll-interval and timeout-minutes', () => {
  const seconds = fc.oneof(
    fc.integer({ min: 0, max: 100_000 }).map(String),
    fc.double({ min: 0, max: 100_000, noNaN: true }).map((n) => n.toFixed(4)),
    nearlyNumbers,
  );

  it('poll-interval is a positive number of seconds up to a day, in whole milliseconds', () => {
    fc.assert(
      fc.property(seconds, (raw) => {
        fc.pre(raw.trim() !== '');
        const value = parseDecimal(raw);
        if (value === undefined || value <= 0 || value > 86_400) {
          expect(rejects({ 'poll-interval': raw })).toBe(true);
          return;
        }
        const { pollIntervalMs } = settingsWith({ 'poll-interval': raw });
        expect(pollIntervalMs).toBe(Math.max(1, Math.round(value * 1000)));
        expect(pollIntervalMs).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('timeout-minutes is a deadline in milliseconds, 0 meaning none; never an instant one', () => {
    fc.assert(
      fc.property(seconds, (raw) => {
        fc.pre(raw.trim() !== '');
        const value = parseDecimal(raw);
        if (value === undefined) {
          expect(rejects({ 'timeout-minutes': raw })).toBe(true);
          return;
        }
        const { timeoutMs } = settingsWith({ 'timeout-minutes': raw });
        if (value === 0) expect(timeoutMs).toBeNull();
        else expect(timeoutMs).toBe(Math.max(1, Math.round(value * 60_000)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('Retry-After', () => {
  const now = Date.UTC(2026, 5, 1, 12, 0, 0);

  it('reads delta-seconds as that many seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), whitespace, (seconds, pad) => {
        expect(parseRetryAfter(`${pad}${seconds}${pad}`, now)).toBe(seconds * 1000);
      }),
    );
  });

  it('reads an HTTP date as the time until then, never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -86_400, max: 86_400 }), (offsetSeconds) => {
        const date = new Date(now + offsetSeconds * 1000).toUTCString();
        expect(parseRetryAfter(date, now)).toBe(Math.max(0, offsetSeconds * 1000));
      }),
    );
  });

  it('gives null, a number of ms ≥ 0, never NaN or a negative, for anything a server could send', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          nearlyNumbers,
          fc.array(fc.string(), { maxLength: 2 }),
          // More digits than a double holds: Infinity must not become a wait.
          fc.integer({ min: 309, max: 400 }).map((length) => '9'.repeat(length)),
        ),
        (header) => {
          const value = parseRetryAfter(header, now);
          if (value !== null) expect(Number.isFinite(value) && value >= 0).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
