/**
 * The promises of SPEC.md that must hold under any fault schedule. Each check returns the
 * violations it finds as sentences, so a failing seed says what broke, not just that it did.
 */
import type { AppliedFault } from '../../sim/faults.js';
import type { RequestRecord } from '../../sim/types.js';
import type { EventLine } from './e2e.js';

/** How late a timer may fire on a busy 2-core machine before we call it a broken promise. */
export const SCHEDULING_SLACK_MS = 1_500;

/** Every event of the provider's history once, oldest first (`complete`), or a prefix of it (a run cut short). */
export function eventViolations(
  events: readonly EventLine[],
  history: readonly { message: string }[],
  complete: boolean,
): string[] {
  const problems: string[] = [];
  const got = events.map((event) => event.message);
  const want = history.map((event) => event.message);
  const expected = complete ? want : want.slice(0, got.length);
  if (JSON.stringify(got) !== JSON.stringify(expected)) {
    const at = got.findIndex((message, i) => message !== expected[i]);
    const where = at < 0 ? got.length : at;
    problems.push(
      `events-file ${complete ? 'is not the whole history' : 'is not a prefix of the history'}: ` +
        `${got.length} events vs ${want.length}; first difference at #${where}: ` +
        `got ${JSON.stringify(got[where])}, expected ${JSON.stringify(expected[where])}`,
    );
  }
  const times = events.map((event) => Date.parse(event.created_at));
  const backwards = times.findIndex((time, i) => i > 0 && time < (times[i - 1] as number));
  if (backwards > 0) problems.push(`events-file goes back in time at #${backwards}`);
  if (times.some(Number.isNaN)) problems.push('events-file has an event without an ISO created_at');
  return problems;
}

/**
 * Cancel requests: none unless asked; when asked, one that reaches the provider. A second attempt
 * is allowed only after a 429 on the first (the server refused it unprocessed), and the provider
 * must never see two cancels.
 */
export function cancelViolations(
  requests: readonly RequestRecord[],
  applied: readonly AppliedFault[],
  cancelCalls: number,
  shouldCancel: boolean,
): string[] {
  const attempts = requests
    .map((request, n) => ({ request, n }))
    .filter(({ request }) => request.route === 'cancel');
  if (!shouldCancel) {
    return attempts.length === 0 ? [] : [`${attempts.length} cancel request(s) although none was due`];
  }
  const problems: string[] = [];
  if (cancelCalls > 1) problems.push(`the provider received ${cancelCalls} cancels`);
  const faultAt = new Map(applied.map((fault) => [fault.n, fault.fault.kind]));
  attempts.forEach(({ n }, i) => {
    if (i === 0) return;
    const before = faultAt.get(attempts[i - 1]?.n ?? -1);
    if (!before?.startsWith('429')) {
      problems.push(`cancel retried after ${before ?? 'a normal answer'} (request #${n})`);
    }
  });
  if (attempts.length === 0) problems.push('no cancel request although one was due');
  else if (!faultAt.has(attempts[0]?.n ?? -1) && cancelCalls !== 1)
    problems.push('the first cancel met no fault, yet the provider did not cancel');
  return problems;
}

/** No request of `routes` may reach the provider after `after` (polling has stopped). */
export function requestsAfter(
  requests: readonly RequestRecord[],
  after: number,
  routes: readonly RequestRecord['route'][],
): string[] {
  const late = requests.filter((request) => request.time > after && routes.includes(request.route));
  return late.length === 0
    ? []
    : [
        `${late.length} ${routes.join('/')} request(s) after polling should have stopped (first ${late[0]?.path})`,
      ];
}
