/**
 * Scale: a 100,000-event history, one per provider, already there when the action attaches (the
 * hardest case: everything is new on the first read). OpenAI sends it as metrics events paged 100
 * at a time, newest first; Together as one whole list on every poll; Nebius oldest first. The
 * bundled action must account for every event exactly once, in order, and stay under 300 MB.
 *
 * These take most of a minute on two cores, so they run where FINE_TUNE_WATCH_SCALE_TESTS=1 is
 * set: CI sets it (.ci/run); `npm test` on a laptop skips them.
 */
import { describe, expect, it } from 'vitest';
import { largeHistory } from '../../sim/scenarios.js';
import type { NamedScenario, ProviderName } from '../../sim/types.js';
import { isChronological, watchOnSim } from '../support/e2e.js';

const EVENTS = 100_000;
const PEAK_RSS_LIMIT = 300 * 1024 * 1024;

/** The history in full on the first read, then the job's end on the next. */
function attachedLate(provider: ProviderName): NamedScenario {
  const scenario = largeHistory(provider, EVENTS);
  const last = scenario.stages.at(-1);
  if (!last) throw new Error('largeHistory has no stages');
  const before = scenario.stages.slice(0, -1).flatMap((stage) => stage.events ?? []);
  return { ...scenario, stages: [{ status: 'running', events: before }, last] };
}

const SCALE = process.env.FINE_TUNE_WATCH_SCALE_TESTS === '1';

describe.runIf(SCALE).each(['openai', 'together', 'nebius'] as const)('%s, 100,000 events', (provider) => {
  it('every event once, oldest first, in under 300 MB', { timeout: 90_000 }, async () => {
    const { result, events } = await watchOnSim(
      attachedLate(provider),
      { 'poll-interval': '0.01' },
      {},
      { probe: true, timeoutMs: 80_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs['events-count']).toBe(String(EVENTS));
    expect(events).toHaveLength(EVENTS);
    const identities = new Set(
      events.map((event) => `${event.id ?? ''}|${event.created_at}|${event.message}`),
    );
    expect(identities.size).toBe(EVENTS);
    expect(isChronological(events)).toBe(true);
    if (provider === 'openai') {
      expect(events.filter((event) => event.type === 'metrics')).toHaveLength(EVENTS - 3);
      expect(JSON.parse(result.outputs.metrics ?? '{}')).toMatchObject({ step: EVENTS - 3 });
    }
    expect(result.peakRssBytes).not.toBeNull();
    expect(result.peakRssBytes ?? Number.POSITIVE_INFINITY).toBeLessThan(PEAK_RSS_LIMIT);
  });
});
