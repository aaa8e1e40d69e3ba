/** One simulated job: its stages, what has happened so far, and how it moves on. */
import type { ProviderName, Scenario, SimCheckpoint, SimEvent, Stage } from './types.js';

export interface StoredEvent extends SimEvent {
  /** 1-based position in the job's history; OpenAI/Nebius ids are `ftevent-<seq>`. */
  seq: number;
  at: number;
}

export interface StoredCheckpoint extends SimCheckpoint {
  seq: number;
  at: number;
}

const TERMINAL = new Set(['completed', 'error', 'user_error', 'cancelled', 'succeeded', 'failed']);

export class SimJob {
  readonly id: string;
  readonly provider: ProviderName;
  readonly stages: readonly Stage[];
  /** Unix seconds; every `at` counts from here. */
  readonly start: number;
  status = '';
  /** Job fields merged so far (scenario base, then each stage entered, then setStatus). */
  readonly fields: Record<string, unknown>;
  readonly events: StoredEvent[] = [];
  readonly checkpoints: StoredCheckpoint[] = [];
  readonly metrics: Record<string, number>[] = [];
  stageIndex = 0;
  jobGets = 0;
  cancelCalls = 0;
  /** A cancel call stops the scenario: later GETs no longer move through stages. */
  cancelRequested = false;
  private served = false;

  constructor(id: string, provider: ProviderName, scenario: Scenario) {
    if (scenario.stages.length === 0) throw new Error(`scenario for ${id} has no stages`);
    this.id = id;
    this.provider = provider;
    this.stages = scenario.stages;
    this.fields = { ...scenario.job };
    this.start = startOf(scenario.job?.created_at);
    this.enter(0);
  }

  get terminal(): boolean {
    return TERMINAL.has(this.status.toLowerCase());
  }

  /** Called for every GET of the job object: the first serves stage 0, each later one moves on. */
  onJobGet(autoAdvance: boolean): void {
    this.jobGets++;
    if (this.provider === 'together' && this.status === 'cancel_requested' && this.cancelRequested) {
      // Together acknowledges a cancel first and reports `cancelled` on the next read.
      this.status = 'cancelled';
      this.appendEvents([{ message: 'Job stopped', type: 'job_stopped', level: 'info' }]);
    } else if (this.served && autoAdvance) {
      this.advance();
    }
    this.served = true;
  }

  /** Enter the next stage; false when already on the last one or after a cancel. */
  advance(): boolean {
    if (this.cancelRequested || this.stageIndex >= this.stages.length - 1) return false;
    this.enter(this.stageIndex + 1);
    return true;
  }

  /** A cancel call; false when the job has already ended (the route answers 400 then). */
  cancel(): boolean {
    this.cancelCalls++;
    if (this.terminal) return false;
    this.cancelRequested = true;
    if (this.provider === 'together') {
      this.status = 'cancel_requested';
      this.appendEvents([{ message: 'Job cancel requested', type: 'cancel_requested' }]);
    } else {
      this.status = 'cancelled';
      this.fields.finished_at = Math.floor(this.start + this.lastAt() + 1);
      this.fields.estimated_finish = null;
    }
    return true;
  }

  setStatus(status: string, fields?: Record<string, unknown>): void {
    this.status = status;
    Object.assign(this.fields, fields);
  }

  appendEvents(events: readonly SimEvent[]): void {
    for (const event of events) {
      const step = this.events.length > 0 && !event.sameTimeAsPrevious ? 1 : 0;
      const at = event.at ?? this.lastAt() + step;
      this.events.push({ ...event, at, seq: this.events.length + 1 });
    }
  }

  appendCheckpoints(checkpoints: readonly SimCheckpoint[]): void {
    for (const checkpoint of checkpoints) {
      const at = checkpoint.at ?? this.lastAt();
      this.checkpoints.push({ ...checkpoint, at, seq: this.checkpoints.length + 1 });
    }
  }

  /** Seconds after start of the newest event (0 when there is none). */
  lastAt(): number {
    return this.events.at(-1)?.at ?? 0;
  }

  private enter(index: number): void {
    const stage = this.stages[index];
    if (!stage) return;
    this.stageIndex = index;
    this.status = stage.status;
    Object.assign(this.fields, stage.job);
    this.appendEvents(stage.events ?? []);
    this.appendCheckpoints(stage.checkpoints ?? []);
    this.metrics.push(...(stage.metrics ?? []));
  }
}

function startOf(createdAt: unknown): number {
  if (typeof createdAt === 'number') return createdAt;
  if (typeof createdAt === 'string') {
    const ms = Date.parse(createdAt);
    if (!Number.isNaN(ms)) return ms / 1000;
  }
  return Date.now() / 1000;
}
