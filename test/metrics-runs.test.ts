import { describe, expect, it } from 'vitest';
import type { FtEvent } from '../src/model.js';
import { MetricsRuns } from '../src/report/metrics-runs.js';

const event = (n: number, type = 'metrics'): FtEvent => ({
  key: `k${n}`,
  id: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  level: 'info',
  type,
  message: `${type} ${n}`,
  data: null,
  modelPath: null,
});
const runs = () => new MetricsRuns<string>({ event: (e) => [e.message], elided: (n) => `… ${n} more` });

describe('MetricsRuns', () => {
  it('keeps a long run of metrics events to its ends, and short runs whole', () => {
    const events = [
      event(1, 'message'),
      event(2),
      event(3),
      event(4),
      event(5),
      event(6, 'message'),
      event(7),
    ];
    expect(runs().lines(events)).toEqual([
      'message 1',
      'metrics 2',
      '… 2 more',
      'metrics 5',
      'message 6',
      'metrics 7',
    ]);
  });

  it('carries a run across the batches of one read, and closes it with the last batch', () => {
    const condenser = runs();
    const lines = [
      ...condenser.lines([event(1, 'message'), event(2), event(3)], true),
      ...condenser.lines([event(4), event(5)], true),
      ...condenser.lines([event(6)], false),
    ];
    expect(lines).toEqual(['message 1', 'metrics 2', '… 3 more', 'metrics 6']);
    // The next read starts afresh.
    expect(condenser.lines([event(7)])).toEqual(['metrics 7']);
  });
});
