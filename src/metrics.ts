import type { Checkpoint, FtEvent, MetricsRow } from './model.js';

/** The numbers of a `metrics` event's data (OpenAI: {step, train_loss, valid_loss, …}). */
export function metricsRowOf(event: FtEvent): MetricsRow | null {
  if (event.type !== 'metrics' || event.data === null) return null;
  const row = numbersOnly(event.data);
  return Object.keys(row).length > 0 ? row : null;
}

export function numbersOnly(value: unknown): MetricsRow {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
    ),
  );
}

const STEP_KEYS = ['step', 'train/global_step', 'global_step', 'step_number'];
const TRAIN_LOSS_KEYS = ['train_loss', 'train/loss', 'loss'];
const VALID_LOSS_KEYS = ['valid_loss', 'eval/loss', 'full_valid_loss', 'validation_loss', 'val_loss'];

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
  if (step === undefined) return null;
  const trainLoss = pick(row, TRAIN_LOSS_KEYS);
  const validLoss = pick(row, VALID_LOSS_KEYS);
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
