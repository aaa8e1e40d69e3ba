import { appendFileSync, writeFileSync } from 'node:fs';
import { metricsRowOf } from './metrics.js';
import type { FtEvent, MetricsRow } from './model.js';
import type { SeenEvents } from './providers/index.js';

const RECENT_EVENTS = 50;

/**
 * Every distinct event once, in the order accepted (oldest first), written to an NDJSON file as
 * it arrives, with the few facts later steps need. Holds keys and a short tail, not the events,
 * so a 100,000-event history costs little memory.
 */
export class EventLog implements SeenEvents {
  private readonly keys = new Set<string>();
  private readonly tail: FtEvent[] = [];
  private readonly metricRows: MetricsRow[] = [];
  private lastError: string | null = null;
  private lastModelPath: string | null = null;

  constructor(readonly filePath: string) {
    writeFileSync(filePath, '');
  }

  has(key: string): boolean {
    return this.keys.has(key);
  }

  get count(): number {
    return this.keys.size;
  }

  /** Keeps the events not seen before (duplicates within the batch included) and returns them. */
  accept(candidates: readonly FtEvent[]): FtEvent[] {
    const fresh: FtEvent[] = [];
    for (const event of candidates) {
      if (this.keys.has(event.key)) continue;
      this.keys.add(event.key);
      fresh.push(event);
      if (event.level === 'error' && event.message.trim() !== '') this.lastError = event.message;
      if (event.modelPath) this.lastModelPath = event.modelPath;
      const row = metricsRowOf(event);
      if (row) this.metricRows.push(row);
    }
    if (fresh.length > 0) {
      appendFileSync(this.filePath, fresh.map(toLine).join(''));
      this.tail.push(...fresh.slice(-RECENT_EVENTS));
      if (this.tail.length > RECENT_EVENTS) this.tail.splice(0, this.tail.length - RECENT_EVENTS);
    }
    return fresh;
  }

  /** The newest events, oldest first. */
  recent(limit = RECENT_EVENTS): readonly FtEvent[] {
    return this.tail.slice(-limit);
  }

  /** The message of the newest error-level event (Together reports failures only this way). */
  get lastErrorMessage(): string | null {
    return this.lastError;
  }

  get newestModelPath(): string | null {
    return this.lastModelPath;
  }

  /** Training metrics carried by events (OpenAI's `metrics` events), oldest first. */
  get metricsFromEvents(): readonly MetricsRow[] {
    return this.metricRows;
  }
}

function toLine(event: FtEvent): string {
  const line: Record<string, unknown> = {
    created_at: event.createdAt,
    level: event.level,
    type: event.type,
    message: event.message,
  };
  if (event.id !== null) line.id = event.id;
  if (event.data !== null) line.data = event.data;
  if (event.modelPath !== null) line.model_path = event.modelPath;
  return `${JSON.stringify(line)}\n`;
}
