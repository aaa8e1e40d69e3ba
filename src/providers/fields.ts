import { createHash, hash as oneShotHash } from 'node:crypto';
import * as z from 'zod/mini';
import { cutDeeperThan } from '../json-walk.js';
import type { EventLevel, FtEvent } from '../model.js';

/*
 * Lenient field readers: a provider payload with a wrong type in one field must not cost us
 * the rest of it. Each reader falls back to null instead of failing the whole object.
 * (zod/mini: the same checks as zod's full API, at a third of the start-up cost; z.number()
 * rejects Infinity and NaN.)
 */
export function lenient<T extends z.core.SomeType>(schema: T) {
  return z.catch(z.nullish(schema), null);
}

export const text = lenient(z.string());
export const count = lenient(z.number());
export const flag = lenient(z.boolean());
export const instant = lenient(z.union([z.string(), z.number()]));
export const record = lenient(z.record(z.string(), z.unknown()));
export const list = lenient(z.array(z.unknown()));

/** `{data: [...], has_more}` as OpenAI, Nebius and Together list endpoints answer. */
export const listPage = z.looseObject({
  data: z.array(z.unknown()),
  has_more: flag,
});

/** ISO 8601 from an ISO string or a Unix time in seconds, milliseconds or nanoseconds. */
export function toIso(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed === '') return null;
    if (/^\d+(\.\d+)?$/.test(trimmed)) return toIso(Number(trimmed));
    return validIso(Date.parse(trimmed));
  }
  if (value > 1e17) return validIso(value / 1e6);
  if (value > 1e14) return validIso(value / 1e3);
  if (value > 1e11) return validIso(value);
  return validIso(value * 1000);
}

function validIso(millis: number): string | null {
  if (!Number.isFinite(millis)) return null;
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

const WARNING_LEVELS = new Set(['warn', 'warning', 'legacy_iwarning', 'legacy_warning']);
const ERROR_LEVELS = new Set(['error', 'legacy_ierror', 'legacy_error', 'fatal', 'critical']);

/** Provider levels (`warn`, `warning`, `legacy_*`, `''`, null, any case) to ours. */
export function toLevel(raw: string | null | undefined): EventLevel {
  const level = (raw ?? '').trim().toLowerCase();
  if (WARNING_LEVELS.has(level)) return 'warning';
  if (ERROR_LEVELS.has(level)) return 'error';
  return 'info';
}

export function toText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/** An event's normalised fields, and a digest of its content for providers that send no ids. */
export interface ReadEvent {
  event: Omit<FtEvent, 'key'>;
  /** Computed on first use: events with ids never need it, and a 100,000-event history is long. */
  readonly digest: string;
}

/*
 * Event fields are read by hand rather than through a zod schema: every event of a long history
 * passes here, and a schema would copy each one (and its `data`) before we copy it again.
 */
const textField = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const instantField = (value: unknown): string | number | null =>
  typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : null;
const recordField = (value: unknown): Record<string, unknown> | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/**
 * Event data deeper than this is cut there: no provider's data comes near it, and writing a
 * value thousands of levels deep (JSON.stringify) would overflow the stack.
 */
export const MAX_DATA_DEPTH = 64;

function dataOf(value: unknown): Record<string, unknown> | null {
  const data = recordField(value);
  return data === null ? null : cutDeeperThan(data, MAX_DATA_DEPTH);
}

/**
 * Normalises one provider event. Never throws: fields of the wrong type become defaults, and a
 * missing or unreadable time becomes `observedAt` so the event is still recorded. The digest
 * covers what the provider sent (not `observedAt`), so it is the same on every poll.
 */
export function readEvent(item: unknown, observedAt: string): ReadEvent {
  const raw = recordField(item) ?? {};
  const createdAt = instantField(raw.created_at);
  const level = toLevel(textField(raw.level));
  const type = (textField(raw.type) ?? '').trim().toLowerCase() || 'message';
  const message = toText(raw.message);
  // A number where the id belongs is still an id (and a cursor); anything else is none.
  const id = typeof raw.id === 'number' && Number.isFinite(raw.id) ? String(raw.id) : textField(raw.id);
  const modelPath = textField(raw.model_path);
  let contentDigest: string | undefined;
  return {
    event: {
      id: id?.trim() ? id : null,
      createdAt: toIso(createdAt) ?? observedAt,
      level,
      type,
      message,
      data: dataOf(raw.data),
      modelPath: modelPath?.trim() ? modelPath : null,
    },
    get digest() {
      contentDigest ??= digest(String(createdAt ?? ''), level, type, message);
      return contentDigest;
    },
  };
}

/** Content identity for events that come without ids. */
export function digest(...parts: string[]): string {
  const content = parts.join('\u0000');
  // The one-shot hash (Node ≥ 20.12) makes no Hash object per event: a long Together history
  // would otherwise leave 100,000 of them, with their native state, to the garbage collector.
  return typeof oneShotHash === 'function'
    ? oneShotHash('sha1', content, 'base64url')
    : createHash('sha1').update(content).digest('base64url');
}

/**
 * Keys for id-less events: the content digest plus how many identical events came before, so
 * two genuinely repeated events stay two.
 */
export class OccurrenceCounter {
  private counts = new Map<string, number>();

  next(contentDigest: string): string {
    const before = this.counts.get(contentDigest) ?? 0;
    this.counts.set(contentDigest, before + 1);
    // The first occurrence is the digest itself: the same string the map holds, so a 100,000-event
    // history does not keep a second string per event. Digests (base64url) never contain '#'.
    return before === 0 ? contentDigest : `${contentDigest}#${before}`;
  }

  reset(): void {
    this.counts = new Map();
  }
}
