import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { EventLevel, FtEvent } from '../model.js';

/*
 * Lenient field readers: a provider payload with a wrong type in one field must not cost us
 * the rest of it. Each reader falls back to null instead of failing the whole object.
 */
export const text = z.string().nullish().catch(null);
export const count = z.number().finite().nullish().catch(null);
export const flag = z.boolean().nullish().catch(null);
export const instant = z.union([z.string(), z.number().finite()]).nullish().catch(null);
export const record = z.record(z.string(), z.unknown()).nullish().catch(null);
export const list = z.array(z.unknown()).nullish().catch(null);

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

export function toCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const rawEvent = z.looseObject({
  id: text,
  created_at: instant,
  level: text,
  type: text,
  message: z.unknown(),
  data: record,
  model_path: text,
});

/** An event's normalised fields, and a digest of its content for providers that send no ids. */
export interface ReadEvent {
  event: Omit<FtEvent, 'key'>;
  digest: string;
}

/**
 * Normalises one provider event. Never throws: fields of the wrong type become defaults, and a
 * missing or unreadable time becomes `observedAt` so the event is still recorded. The digest
 * covers what the provider sent (not `observedAt`), so it is the same on every poll.
 */
export function readEvent(item: unknown, observedAt: string): ReadEvent {
  const parsed = rawEvent.safeParse(item);
  const raw: Partial<z.infer<typeof rawEvent>> = parsed.success ? parsed.data : {};
  const level = toLevel(raw.level);
  const type = (raw.type ?? '').trim().toLowerCase() || 'message';
  const message = toText(raw.message);
  const id = raw.id?.trim() ? raw.id : null;
  return {
    event: {
      id,
      createdAt: toIso(raw.created_at) ?? observedAt,
      level,
      type,
      message,
      data: raw.data ?? null,
      modelPath: raw.model_path?.trim() ? raw.model_path : null,
    },
    digest: digest(String(raw.created_at ?? ''), level, type, message),
  };
}

/** Content identity for events that come without ids. */
export function digest(...parts: string[]): string {
  return createHash('sha1').update(parts.join('\u0000')).digest('base64url');
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
    return `${contentDigest}#${before}`;
  }

  reset(): void {
    this.counts = new Map();
  }
}
