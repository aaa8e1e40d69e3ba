import { formatValue, isLoss } from '../gates.js';
import { metricsRowOf } from '../metrics.js';
import type { MetricsRow } from '../model.js';
import type { Log } from '../report/log.js';
import type { WatchReporter } from './poll-loop.js';

/**
 * One warning annotation for each loss that came out NaN or infinite, when first seen, with
 * quality gates or without: a run that diverged still "succeeds" on the provider's side.
 */
export class NonFiniteLosses {
  private readonly warned = new Set<string>();

  constructor(private readonly log: Log) {}

  check(rows: Iterable<MetricsRow>): void {
    for (const row of rows) {
      for (const [name, value] of Object.entries(row)) {
        if (!isLoss(name) || Number.isFinite(value) || this.warned.has(name)) continue;
        this.warned.add(name);
        const step = row.step ?? row['train/global_step'] ?? row.step_number;
        this.log.warning(
          `${name} is ${formatValue(value)}${step === undefined ? '' : ` at step ${step}`}: the training diverged or broke. Check the model before deploying it.`,
        );
      }
    }
  }

  /** Checks the metrics events as the poll loop reads them. */
  reporter(): WatchReporter {
    return {
      status: () => undefined,
      events: (events) => this.check(events.map(metricsRowOf).filter((row) => row !== null)),
      heartbeat: () => undefined,
    };
  }
}
