/**
 * What the action's HTTP client (undici) sends and receives, seen from the client's side through
 * undici's diagnostics channels. The server's view is not enough to judge Retry-After: under load
 * an answer can reach a client that has already given up on it (its request timed out), and a
 * client cannot honour a Retry-After it never read.
 */
import { subscribe } from 'node:diagnostics_channel';

export interface ClientEvent {
  kind: 'send' | 'answer';
  time: number;
  path: string;
  status?: number;
  retryAfter?: string;
}

interface RequestMessage {
  request: { origin?: unknown; path?: unknown };
  response?: { statusCode?: number; headers?: Buffer[] };
}

/** How much earlier than computed from Date.now() a timer may fire (see retryAfterViolations). */
export const TIMER_EARLY_MS = 50;

const byOrigin = new Map<string, ClientEvent[]>();
let subscribed = false;

function record(kind: ClientEvent['kind'], message: unknown): void {
  const { request, response } = message as RequestMessage;
  const events = byOrigin.get(String(request.origin));
  if (!events) return;
  const event: ClientEvent = { kind, time: Date.now(), path: String(request.path) };
  if (response) {
    event.status = response.statusCode;
    const headers = (response.headers ?? []).map(String);
    const at = headers.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'retry-after');
    if (at >= 0) event.retryAfter = headers[at + 1];
  }
  events.push(event);
}

/** Starts recording the requests to `origin` (e.g. `http://127.0.0.1:41234`); returns the live record. */
export function observeClient(origin: string): ClientEvent[] {
  if (!subscribed) {
    subscribed = true;
    subscribe('undici:request:create', (message) => record('send', message));
    subscribe('undici:request:headers', (message) => record('answer', message));
  }
  const events: ClientEvent[] = [];
  byOrigin.set(origin, events);
  return events;
}

export function stopObserving(origin: string): void {
  byOrigin.delete(origin);
}

/** When the client may send again after an answer with Retry-After (seconds or an HTTP date). */
export function retryNotBefore(answer: ClientEvent): number | null {
  if (answer.retryAfter === undefined) return null;
  const text = answer.retryAfter.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return answer.time + Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : date;
}

/**
 * After each answer with Retry-After, the client's next request must not leave before the time
 * the server asked for, unless the run stopped meanwhile (the deadline passed or the step was
 * cancelled: what follows is the cancel or the last reads, not the retry).
 */
export function retryAfterViolations(events: readonly ClientEvent[], stoppedAt: number | null): string[] {
  const problems: string[] = [];
  events.forEach((answer, i) => {
    const notBefore = answer.kind === 'answer' ? retryNotBefore(answer) : null;
    if (notBefore === null) return;
    const next = events.slice(i + 1).find((event) => event.kind === 'send');
    // Node's timers count from the start of the current tick, so a deadline may fire a little
    // before the Date.now() it was computed from.
    if (!next || (stoppedAt !== null && next.time >= stoppedAt - TIMER_EARLY_MS)) return;
    // Timers have millisecond resolution; a couple of ms early is rounding, not disobedience.
    if (next.time < notBefore - 3) {
      problems.push(
        `${next.path} was sent ${notBefore - next.time} ms before the Retry-After (${answer.retryAfter}) of the HTTP ${answer.status} answer to ${answer.path} allowed`,
      );
    }
  });
  return problems;
}
