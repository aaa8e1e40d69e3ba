import type { Checkpoint, FtEvent, MetricsRow } from './model.js';

/** The numbers of a `metrics` event's data (OpenAI: {step, train_loss, valid_loss, …}). */
export function metricsRowOf(event: FtEvent): MetricsRow | null {
  if (event.type !== 'metrics' || event.data === null) return null;
  const row = numbersOnly(event.data);
  return Object.keys(row).length > 0 ? row : null;
}

/**
 * The numeric fields of a metrics object. A loss that diverged comes as `"NaN"` or `"Infinity"`
 * (JSON has no such numbers; Python writes them as words): those are kept, as NaN and ±Infinity,
 * so quality gates and warnings can see them; other non-numbers are dropped.
 */
export function numbersOnly(value: unknown): MetricsRow {
  if (typeof value !== 'object' || value === null) return {};
  const row: MetricsRow = {};
  for (const [name, field] of Object.entries(value)) {
    const number = metricNumber(field);
    if (number !== undefined) row[name] = number;
  }
  return row;
}

const NON_FINITE = /^([+-]?)(nan|inf|infinity)$/i;

function metricNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = NON_FINITE.exec(value.trim());
  if (!match) return undefined;
  if (/^nan$/i.test(match[2] as string)) return Number.NaN;
  return match[1] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

const STEP_KEYS = ['step', 'train/global_step', 'global_step', 'step_number'];
const TRAIN_LOSS_KEYS = ['train_loss', 'train/loss', 'loss'];
const VALID_LOSS_KEYS = ['valid_loss', 'eval/loss', 'full_valid_loss', 'validation_loss', 'val_loss'];

/** The name a provider's own loss is also given in `metrics` (Together `train/loss` → `train_loss`). */
export function lossAliasOf(metric: string): string | undefined {
  if (TRAIN_LOSS_KEYS.includes(metric)) return 'train_loss';
  if (VALID_LOSS_KEYS.includes(metric)) return 'valid_loss';
  return undefined;
}

const pick = (row: MetricsRow, keys: readonly string[]): number | undefined =>
  keys.map((key) => row[key]).find((value) => value !== undefined);

/** One point of the loss curve. */
export interface LossPoint {
  step: number;
  trainLoss?: number;
  validLoss?: number;
}

export function lossPointOf(row: MetricsRow): LossPoint | null {
  const step = pick(row, STEP_KEYS);
  if (step === undefined || !Number.isFinite(step)) return null;
  // A chart has no place for NaN or infinity: such points are left out (and warned about).
  const finite = (value: number | undefined) =>
    value !== undefined && Number.isFinite(value) ? value : undefined;
  const trainLoss = finite(pick(row, TRAIN_LOSS_KEYS));
  const validLoss = finite(pick(row, VALID_LOSS_KEYS));
  if (trainLoss === undefined && validLoss === undefined) return null;
  return {
    step,
    ...(trainLoss !== undefined && { trainLoss }),
    ...(validLoss !== undefined && { validLoss }),
  };
}

/**
 * The latest value of every metric, as the provider names them, with `step`, `train_loss` and
 * `valid_loss` added under those names when the provider uses others (Together's `train/loss`),
 * so a workflow can read the same keys whatever the provider.
 */
export function latestMetrics(rows: readonly MetricsRow[]): MetricsRow {
  const latest: MetricsRow = {};
  for (const row of rows) Object.assign(latest, row);
  const aliases: [string, readonly string[]][] = [
    ['step', STEP_KEYS],
    ['train_loss', TRAIN_LOSS_KEYS],
    ['valid_loss', VALID_LOSS_KEYS],
  ];
  for (const [alias, keys] of aliases) {
    const value = pick(latest, keys);
    if (latest[alias] === undefined && value !== undefined) latest[alias] = value;
  }
  return latest;
}

/**
 * All metric rows in step order, whatever their source: events, a metrics endpoint, or the
 * metrics attached to checkpoints (with the checkpoint's step where the metrics lack one).
 */
export function collectMetricRows(
  fromEvents: readonly MetricsRow[],
  fromEndpoint: readonly MetricsRow[],
  checkpoints: readonly Checkpoint[],
): MetricsRow[] {
  const fromCheckpoints = checkpoints
    .filter((checkpoint) => checkpoint.metrics !== null && Object.keys(checkpoint.metrics).length > 0)
    .map((checkpoint) => ({
      ...(checkpoint.step !== null ? { step: checkpoint.step } : {}),
      ...(checkpoint.metrics as MetricsRow),
    }));
  const primary =
    fromEvents.length > 0 || fromEndpoint.length > 0 ? [...fromEvents, ...fromEndpoint] : fromCheckpoints;
  return primary
    .map((row, index) => ({ row, index, step: pick(row, STEP_KEYS) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.step - b.step || a.index - b.index)
    .map(({ row }) => row);
}
