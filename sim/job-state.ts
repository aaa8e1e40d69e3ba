/** One simulated job: its stages, what has happened so far, and how it moves on. */
import { cancelPlan, isTerminalStatus } from './platforms.js';
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

export interface SimJobOptions {
  /**
   * Job reads after an acknowledged cancel that still show the in-between status (Together
   * `cancel_requested`, Bedrock `Stopping`, Fireworks/Vertex `JOB_STATE_CANCELLING`) before the
   * final one. Default 0: the next read already shows the final status.
   */
  cancelPendingReads?: number;
}

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
  /** Seconds after start of the latest stage entered (its `at`) or cancel step. */
  private clock = 0;
  private readonly cancelPendingReads: number;
  private pendingReadsLeft = 0;

  constructor(id: string, provider: ProviderName, scenario: Scenario, options: SimJobOptions = {}) {
    if (scenario.stages.length === 0) throw new Error(`scenario for ${id} has no stages`);
    this.id = id;
    this.provider = provider;
    this.stages = scenario.stages;
    this.fields = { ...scenario.job };
    this.start = startOf(scenario.job?.created_at ?? scenario.job?.createTime ?? scenario.job?.creationTime);
    this.cancelPendingReads = options.cancelPendingReads ?? 0;
    this.enter(0);
  }

  /** Whether the status is one of the platform's final ones (compared case-insensitively). */
  get terminal(): boolean {
    return isTerminalStatus(this.provider, this.status);
  }

  /** Called for every GET of the job object: the first serves stage 0, each later one moves on. */
  onJobGet(autoAdvance: boolean): void {
    this.jobGets++;
    if (this.awaitingCancelSettle()) {
      // The platform acknowledged a cancel earlier and reports the final status on a later read.
      if (this.pendingReadsLeft > 0) this.pendingReadsLeft--;
      else this.settleCancel();
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
    const plan = cancelPlan(this.provider);
    this.status = plan.acknowledged;
    this.clock = this.updatedAt() + 1;
    this.appendEvents(plan.acknowledgedEvents ?? []);
    if (plan.settled === plan.acknowledged) this.settleCancel();
    else this.pendingReadsLeft = this.cancelPendingReads;
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

  /**
   * Seconds after start of the job's latest change: its newest event or the `at` of the stage it
   * entered last. Platforms without events date `updateTime`/`lastModifiedTime`/`endTime` from it.
   */
  updatedAt(): number {
    return Math.max(this.lastAt(), this.clock);
  }

  private awaitingCancelSettle(): boolean {
    const plan = cancelPlan(this.provider);
    return this.cancelRequested && plan.settled !== plan.acknowledged && this.status === plan.acknowledged;
  }

  private settleCancel(): void {
    const plan = cancelPlan(this.provider);
    if (plan.settled !== plan.acknowledged) this.clock = this.updatedAt() + 1;
    this.status = plan.settled;
    this.appendEvents(plan.settledEvents ?? []);
    Object.assign(this.fields, plan.settledFields?.(this));
  }

  private enter(index: number): void {
    const stage = this.stages[index];
    if (!stage) return;
    this.stageIndex = index;
    if (stage.at !== undefined) this.clock = Math.max(this.clock, stage.at);
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
