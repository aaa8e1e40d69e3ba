/** Deterministic made-up numbers (loss curves, ids), so scenarios are realistic yet repeatable. */
import { createHash } from 'node:crypto';

/** mulberry32: a tiny seeded PRNG; the same seed gives the same run every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** A falling, noisy training loss: from about `from` down towards `to`. */
export function lossAt(step: number, totalSteps: number, random: () => number, from = 2.4, to = 0.5): number {
  const progress = step / totalSteps;
  const noise = (random() - 0.5) * 0.12 * (from - to);
  return round(Math.max(0.0001, to + (from - to) * Math.exp(-4 * progress) + noise));
}

function digest(seed: string): string {
  return createHash('sha256').update(seed).digest('hex');
}

/** A uuid-shaped id derived from `seed` (Together job ids are `ft-<uuid>`). */
export function fakeUuid(seed: string): string {
  const h = digest(seed);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A 24-character base62 id derived from `seed`, like OpenAI's `ftjob-…` and `ftckpt_…` suffixes. */
export function fakeBase62(seed: string, length = 24): string {
  const h = digest(seed);
  let out = '';
  for (let i = 0; i < length; i++) {
    out += ALPHABET[Number.parseInt(h.slice(i * 2, i * 2 + 2), 16) % ALPHABET.length];
  }
  return out;
}

/** `length` lowercase hex digits derived from `seed` (Azure ids are `ftjob-<32 hex>`). */
export function fakeHex(seed: string, length = 32): string {
  let out = '';
  for (let block = 0; out.length < length; block++) out += digest(`${seed}#${block}`);
  return out.slice(0, length);
}

/** Characters drawn from `alphabet`, derived from `seed` (Bedrock and Fireworks id suffixes). */
export function fakeChars(seed: string, length: number, alphabet: string): string {
  const hex = fakeHex(seed, length * 2);
  let out = '';
  for (let i = 0; i < length; i++)
    out += alphabet[Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) % alphabet.length];
  return out;
}

export const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A numeric id of `length` digits not starting with 0 (Vertex tuning job ids have 19). */
export function fakeDigits(seed: string, length: number): string {
  const digits = fakeChars(seed, length, '0123456789');
  return `${(Number(digits[0]) % 9) + 1}${digits.slice(1)}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
