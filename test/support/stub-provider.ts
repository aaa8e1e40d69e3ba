import type { Checkpoint, FtEvent, JobRef, JobSnapshot, MetricsRow } from '../../src/model.js';
import type { Provider, ReadOptions, SeenEvents } from '../../src/providers/index.js';

/**
 * A provider without HTTP for tests of the poll loop: no events, checkpoints or metrics, nothing
 * to cancel. Subclasses script `readJob` and override whatever else their test is about.
 */
export abstract class StubProvider implements Provider {
  abstract readonly ref: JobRef;
  readonly eventsInJob: boolean = false;
  abstract readJob(signal: AbortSignal): Promise<JobSnapshot>;
  async readNewEvents(_read: ReadOptions, _seen: SeenEvents): Promise<Iterable<FtEvent[]>> {
    return [];
  }
  async readCheckpoints(): Promise<Checkpoint[]> {
    return [];
  }
  async readMetricRows(): Promise<MetricsRow[]> {
    return [];
  }
  async cancel(): Promise<JobSnapshot | null> {
    return null;
  }
  fallbackModel(): string | null {
    return null;
  }
  isTerminalEvent(_event: FtEvent): boolean {
    return false;
  }
}
