/**
 * Seeded fault schedules: which request meets which fault, drawn from a seed so that a failing
 * run can be replayed exactly. A schedule is a list indexed by request number (the order the fake
 * provider receives requests in); it is turned into the server's fault hook by `scheduleHook`.
 *
 * Schedules are bounded: only the first `length` requests can fail and never more than
 * `maxConsecutive` in a row, so every run reaches its end quickly whatever the seed.
 */
import type { FaultHook } from './server.js';
import { seededRandom } from './synth.js';
import type { Fault, RequestRecord } from './types.js';

/** Every kind of fault a schedule draws from. */
export const FAULT_KINDS = [
  /** 429 with `Retry-After: <seconds>`. */
  '429-seconds',
  /** 429 with `Retry-After: <HTTP date>`. */
  '429-date',
  '500',
  /** 502 from a gateway, with its HTML error page. */
  '502-html',
  /** 503, sometimes with `Retry-After`. */
  '503',
  /** 504 with a plain-text body. */
  '504',
  /** The connection is dropped before any answer. */
  'reset',
  /** Headers promise a body; half of it arrives, then the connection dies. */
  'reset-mid-body',
  /** The answer comes, but later than the client's per-request timeout. */
  'slow',
  /** A complete 200 whose JSON is cut in half. */
  'truncated',
  /** A 200 with an HTML page (a captive portal, a proxy's maintenance page). */
  'not-json',
  /** A 200 with JSON of the wrong shape. */
  'wrong-shape',
  /** A 200 with an empty body. */
  'empty',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface ScheduledFault {
  kind: FaultKind;
  /** For 429 and 503: the delay the server asks for (0 or 1 s, so schedules stay fast); null: none. */
  retryAfterSeconds: number | null;
}

export interface FaultSchedule {
  seed: number;
  /** faults[n]: what request n meets; undefined: a normal answer. */
  faults: readonly (ScheduledFault | undefined)[];
  /** Requests before whose answer new events appear (events arriving between two page requests). */
  appendBefore: ReadonlySet<number>;
}

export interface ScheduleOptions {
  /** Requests the schedule covers; later requests are answered normally. */
  length: number;
  /** Chance that a covered request meets a fault. */
  faultRate: number;
  /** Chance that new events appear before a covered request is answered. */
  appendRate: number;
  /** The longest run of consecutive faults. */
  maxConsecutive: number;
  /** Kinds to draw from (default: all). */
  kinds?: readonly FaultKind[];
}

export const DEFAULT_SCHEDULE: ScheduleOptions = {
  length: 60,
  faultRate: 0.3,
  appendRate: 0.15,
  maxConsecutive: 3,
};

/** The same seed and options give the same schedule, every time. */
export function faultSchedule(seed: number, options: ScheduleOptions = DEFAULT_SCHEDULE): FaultSchedule {
  const random = seededRandom(seed);
  const kinds = options.kinds ?? FAULT_KINDS;
  const faults: (ScheduledFault | undefined)[] = [];
  const appendBefore = new Set<number>();
  let consecutive = 0;
  for (let n = 0; n < options.length; n++) {
    const faulty = consecutive < options.maxConsecutive && random() < options.faultRate;
    const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
    // A one-second wait is honest but slow: about one Retry-After in eight asks for it.
    const retryAfter = random() < 0.125 ? 1 : 0;
    const withRetryAfter = kind === '429-seconds' || kind === '429-date' || random() < 0.5;
    faults.push(
      faulty
        ? {
            kind,
            retryAfterSeconds:
              kind.startsWith('429') || (kind === '503' && withRetryAfter) ? retryAfter : null,
          }
        : undefined,
    );
    consecutive = faulty ? consecutive + 1 : 0;
    if (random() < options.appendRate) appendBefore.add(n);
  }
  return { seed, faults, appendBefore };
}

const GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n';
const MAINTENANCE_PAGE =
  '<!DOCTYPE html><html><head><title>Down for maintenance</title><script>location.reload()</script></head><body><h1>Back soon</h1></body></html>';

const errorBody = (message: string, type: string) => JSON.stringify({ error: { message, type, code: null } });

/**
 * The Retry-After value of a scheduled fault, as the server would send it at `now`: whole
 * seconds, or an HTTP date at least that many seconds ahead (dates have whole seconds, so the
 * date is rounded up to the next second first).
 */
export function retryAfterHeader(fault: ScheduledFault, now: number): string | null {
  if (fault.retryAfterSeconds === null) return null;
  if (fault.kind === '429-date') {
    return new Date(Math.ceil(now / 1000) * 1000 + fault.retryAfterSeconds * 1000).toUTCString();
  }
  return String(fault.retryAfterSeconds);
}

/** The earliest time a client may send its next request after this fault was answered at `answeredAt`. */
export function retryNotBefore(fault: ScheduledFault, answeredAt: number, header: string | null): number {
  if (header === null) return answeredAt;
  if (fault.kind === '429-date') return Date.parse(header);
  return answeredAt + Number(header) * 1000;
}

/** The concrete fault the fake provider applies. `slowMs` must exceed the client's request timeout. */
export function toFault(fault: ScheduledFault, slowMs: number, now: number = Date.now()): Fault {
  const retryAfter = retryAfterHeader(fault, now);
  const headers = retryAfter === null ? undefined : { 'retry-after': retryAfter };
  switch (fault.kind) {
    case '429-seconds':
    case '429-date':
      return {
        kind: 'status',
        status: 429,
        headers,
        body: errorBody('Rate limit reached for requests', 'requests'),
      };
    case '500':
      return {
        kind: 'status',
        status: 500,
        body: errorBody('The server had an error while processing your request.', 'server_error'),
      };
    case '502-html':
      return { kind: 'status', status: 502, body: GATEWAY_PAGE };
    case '503':
      return { kind: 'status', status: 503, headers, body: errorBody('Service Unavailable', 'overloaded') };
    case '504':
      return { kind: 'status', status: 504, body: 'upstream request timeout' };
    case 'reset':
      return { kind: 'reset' };
    case 'reset-mid-body':
      return { kind: 'reset-mid-body' };
    case 'slow':
      return { kind: 'delay', ms: slowMs };
    case 'truncated':
      return { kind: 'truncate' };
    case 'not-json':
      return { kind: 'raw', contentType: 'text/html', body: MAINTENANCE_PAGE };
    case 'wrong-shape':
      return { kind: 'raw', body: JSON.stringify({ object: 'list', data: null, status: null }) };
    case 'empty':
      return { kind: 'raw', body: '' };
  }
}

/** One request as a schedule saw it: what it met, and when it may be retried at the earliest. */
export interface AppliedFault {
  n: number;
  request: RequestRecord;
  fault: ScheduledFault;
  /** For faults with Retry-After: the next request must not come before this time. */
  notBefore: number | null;
}

export interface ScheduleHookOptions {
  /** How long a `slow` answer takes; more than the client's request timeout. */
  slowMs: number;
  /** Called before answering a request picked for new events; the caller decides whether to add any. */
  onAppend?: (request: RequestRecord, n: number) => void;
  /** Each fault applied, for the run's invariants (Retry-After honoured, …). */
  applied?: AppliedFault[];
}

/** The fake provider's fault hook for a schedule. */
export function scheduleHook(schedule: FaultSchedule, options: ScheduleHookOptions): FaultHook {
  return (request, n) => {
    if (schedule.appendBefore.has(n)) options.onAppend?.(request, n);
    const scheduled = schedule.faults[n];
    if (!scheduled) return undefined;
    const now = Date.now();
    const fault = toFault(scheduled, options.slowMs, now);
    const header = retryAfterHeader(scheduled, now);
    options.applied?.push({
      n,
      request,
      fault: scheduled,
      notBefore: header === null ? null : retryNotBefore(scheduled, now, header),
    });
    return fault;
  };
}

/** A one-line description of a schedule, for failure messages. */
export function describeSchedule(schedule: FaultSchedule): string {
  const faults = schedule.faults
    .map((fault, n) =>
      fault
        ? `${n}:${fault.kind}${fault.retryAfterSeconds === null ? '' : `(${fault.retryAfterSeconds}s)`}`
        : null,
    )
    .filter((entry) => entry !== null);
  return `seed ${schedule.seed}: faults [${faults.join(' ')}], events appear before [${[...schedule.appendBefore].join(' ')}]`;
}
