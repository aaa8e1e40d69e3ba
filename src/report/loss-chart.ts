import { type LossPoint, lossPointOf } from '../metrics.js';
import type { MetricsRow } from '../model.js';

/** Points per line: enough for the shape, few enough for a chart a few hundred pixels wide. */
const CHART_POINTS = 60;
const TRAIN_TABLE_ROWS = 8;
const VALID_TABLE_ROWS = 6;
/** Validation shares the training chart only when it was measured at (nearly) every step. */
const SHARED_CHART_COVERAGE = 0.8;
const TRAIN_COLOUR = '#2563eb';
const VALID_COLOUR = '#f97316';

type Key = 'train' | 'valid';

interface StepLoss {
  step: number;
  train?: number;
  valid?: number;
}

/**
 * The training-loss section: Mermaid `xychart-beta` line charts of training loss (and
 * validation loss where present) against step, and a compact table of measured numbers.
 * Null when there is no loss to show. Every character here is ours: numbers and fixed words.
 *
 * xychart has no gaps, so validation loss measured only now and then (Together logs it at each
 * evaluation) gets a chart of its own rather than a line invented between measurements.
 */
export function lossChartSection(rows: readonly MetricsRow[]): string | null {
  const series = mergeBySteps(rows.map(lossPointOf).filter((point): point is LossPoint => point !== null));
  const train = series.filter((point) => point.train !== undefined);
  const valid = series.filter((point) => point.valid !== undefined);
  const charts: string[] = [];
  const shared = train.length >= 2 && valid.length >= SHARED_CHART_COVERAGE * train.length;
  if (train.length >= 2) {
    const keys: Key[] = shared ? ['train', 'valid'] : ['train'];
    charts.push(chart(shared ? 'Training and validation loss' : 'Training loss', train, keys));
  }
  if (!shared && valid.length >= 2) charts.push(chart('Validation loss', valid, ['valid']));
  if (charts.length === 0) return null;

  const legend = shared
    ? 'Training loss (blue) and validation loss (orange) by step.'
    : `${[train.length >= 2 ? 'training' : null, valid.length >= 2 ? 'validation' : null].filter(Boolean).join(' and ')} loss by step.`;
  const sampled =
    Math.max(train.length, valid.length) > CHART_POINTS
      ? ` Each line is drawn through ${CHART_POINTS} evenly spaced steps, keeping the first, the last and the lowest.`
      : '';
  return [
    '#### Training loss',
    '',
    `${legend[0]?.toUpperCase()}${legend.slice(1)}${sampled}`,
    '',
    ...charts,
    '',
    lossTable(train, valid),
  ].join('\n');
}

/** One entry per step, later rows filling or overriding earlier ones (Together logs eval rows apart). */
function mergeBySteps(points: readonly LossPoint[]): StepLoss[] {
  const bySteps = new Map<number, StepLoss>();
  for (const point of points) {
    const entry = bySteps.get(point.step) ?? { step: point.step };
    if (point.trainLoss !== undefined) entry.train = point.trainLoss;
    if (point.validLoss !== undefined) entry.valid = point.validLoss;
    bySteps.set(point.step, entry);
  }
  return [...bySteps.values()].sort((a, b) => a.step - b.step);
}

function chart(title: string, points: readonly StepLoss[], keys: readonly Key[]): string {
  const first = (points[0] as StepLoss).step;
  const last = (points.at(-1) as StepLoss).step;
  const lines = keys.map((key) => resample(points, key, Math.min(CHART_POINTS, points.length)));
  const [low, high] = niceRange(Math.min(...lines.flat()), Math.max(...lines.flat()));
  const palette = keys.map((key) => (key === 'train' ? TRAIN_COLOUR : VALID_COLOUR)).join(', ');
  return [
    '```mermaid',
    `%%{init: {"xyChart": {"width": 720, "height": 300}, "themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "step" ${formatNumber(first)} --> ${formatNumber(last)}`,
    `  y-axis "loss" ${formatNumber(low)} --> ${formatNumber(high)}`,
    ...lines.map((line) => `  line [${line.map(formatNumber).join(', ')}]`),
    '```',
  ].join('\n');
}

/**
 * `count` values at evenly spaced steps from the first to the last (a numeric x-axis spreads
 * them evenly), read off the measurements by straight lines. The lowest measurement is put on
 * its nearest grid point, so the best loss shows even when it falls between two.
 */
export function resample(points: readonly StepLoss[], key: Key, count: number, keepLowest = true): number[] {
  const measured = points.filter((point) => point[key] !== undefined);
  const first = (measured[0] as StepLoss).step;
  const last = (measured.at(-1) as StepLoss).step;
  const spacing = count > 1 ? (last - first) / (count - 1) : 0;
  const values: number[] = [];
  let cursor = 0;
  for (let i = 0; i < count; i++) {
    const step = first + i * spacing;
    while (cursor < measured.length - 2 && (measured[cursor + 1] as StepLoss).step <= step) cursor++;
    values.push(
      interpolate(
        measured[cursor] as StepLoss,
        measured[Math.min(cursor + 1, measured.length - 1)] as StepLoss,
        step,
        key,
      ),
    );
  }
  const lowest = measured.reduce((best, point) =>
    (point[key] as number) < (best[key] as number) ? point : best,
  );
  if (keepLowest && spacing > 0) values[Math.round((lowest.step - first) / spacing)] = lowest[key] as number;
  return values;
}

function interpolate(before: StepLoss, after: StepLoss, step: number, key: Key): number {
  const a = before[key] as number;
  const b = after[key] as number;
  if (after.step === before.step) return a;
  const share = Math.min(1, Math.max(0, (step - before.step) / (after.step - before.step)));
  return a + share * (b - a);
}

/** At most `max` points, evenly spread, always keeping the first, the last and the lowest. */
export function downsample(points: readonly StepLoss[], max: number, key: Key): StepLoss[] {
  if (points.length <= max) return [...points];
  const lowest = points.reduce(
    (best, point, index) =>
      (point[key] ?? Infinity) < ((points[best] as StepLoss)[key] ?? Infinity) ? index : best,
    0,
  );
  const keep = new Set<number>([0, points.length - 1, lowest]);
  const slots = max - keep.size;
  for (let i = 1; i <= slots; i++) keep.add(Math.round((i * (points.length - 1)) / (slots + 1)));
  return [...keep].sort((a, b) => a - b).map((index) => points[index] as StepLoss);
}

function lossTable(train: readonly StepLoss[], valid: readonly StepLoss[]): string {
  const rows = new Map<number, StepLoss>();
  for (const point of [
    ...downsample(train, TRAIN_TABLE_ROWS, 'train'),
    ...downsample(valid, VALID_TABLE_ROWS, 'valid'),
  ]) {
    rows.set(point.step, point);
  }
  const hasTrain = train.length > 0;
  const hasValid = valid.length > 0;
  const header = ['Step', ...(hasTrain ? ['Training loss'] : []), ...(hasValid ? ['Validation loss'] : [])];
  const show = (value: number | undefined) => (value === undefined ? '—' : formatNumber(value));
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---:').join('|')}|`,
    ...[...rows.values()]
      .sort((a, b) => a.step - b.step)
      .map(
        (point) =>
          `| ${[formatNumber(point.step), ...(hasTrain ? [show(point.train)] : []), ...(hasValid ? [show(point.valid)] : [])].join(' | ')} |`,
      ),
  ].join('\n');
}

/**
 * Axis bounds a little outside the data, on round-ish numbers; not below zero when no value is
 * (a loss near zero), but below it when a value is (some objectives go negative).
 */
function niceRange(min: number, max: number): [number, number] {
  const span = max - min || Math.abs(max) || 1;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(span)));
  const factor = 10 ** digits;
  const low = Math.floor((min - span * 0.05) * factor) / factor;
  return [min >= 0 ? Math.max(0, low) : low, Math.ceil((max + span * 0.05) * factor) / factor];
}

/** Four significant digits, never in exponent form (Mermaid reads plain decimals only). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '0';
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const magnitude = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(20, Math.max(0, 3 - magnitude));
  return value.toFixed(decimals).replace(/\.?0+$/, '') || '0';
}

/** One job's line in a chart of several: its metrics rows and its colour. */
export interface LossLine {
  rows: readonly MetricsRow[];
  colour: string;
}

/**
 * One xychart with a line per job: each job's training loss drawn over its own steps, from 0 to
 * 100 % (jobs of different lengths share no step axis, and xychart has no gaps). Null when no
 * line has two points.
 */
export function setLossChart(lines: readonly LossLine[]): string | null {
  const drawn = drawnLines(lines);
  if (drawn.length === 0) return null;
  const values = drawn.map((line) => resample(line.points, 'train', CHART_POINTS));
  const [low, high] = niceRange(Math.min(...values.flat()), Math.max(...values.flat()));
  return [
    '```mermaid',
    `%%{init: {"xyChart": {"width": 720, "height": 320}, "themeVariables": {"xyChart": {"plotColorPalette": "${drawn.map((line) => line.colour).join(', ')}"}}}}%%`,
    'xychart-beta',
    '  title "Training loss by job"',
    '  x-axis "% of the job\'s steps" 0 --> 100',
    `  y-axis "loss" ${formatNumber(low)} --> ${formatNumber(high)}`,
    ...values.map((line) => `  line [${line.map(formatNumber).join(', ')}]`),
    '```',
  ].join('\n');
}

function drawnLines<T extends LossLine>(lines: readonly T[]): (T & { points: StepLoss[] })[] {
  return lines
    .map((line) => ({
      ...line,
      points: mergeBySteps(
        line.rows.map(lossPointOf).filter((point): point is LossPoint => point !== null),
      ).filter((point) => point.train !== undefined),
    }))
    .filter((line) => line.points.length >= 2);
}

const TABLE_STEPS = 11;

/**
 * The chart's numbers: each job's training loss at every tenth of its steps (read off its
 * measurements by straight lines), then its lowest and the step it came at. Columns are headed
 * by `label`, which the caller has made safe (it carries the line's colour key).
 */
export function setLossNumbers(lines: readonly (LossLine & { label: string })[]): string | null {
  const drawn = drawnLines(lines);
  if (drawn.length === 0) return null;
  const columns = drawn.map((line) => resample(line.points, 'train', TABLE_STEPS, false));
  const lowest = drawn.map((line) =>
    line.points.reduce((best, point) => ((point.train as number) < (best.train as number) ? point : best)),
  );
  const rows = Array.from({ length: TABLE_STEPS }, (_, i) => {
    const percent = Math.round((i * 100) / (TABLE_STEPS - 1));
    return `| ${percent} % | ${columns.map((values) => formatNumber(values[i] as number)).join(' | ')} |`;
  });
  return [
    `| % of steps | ${drawn.map((line) => line.label).join(' | ')} |`,
    `|---:|${drawn.map(() => '---:').join('|')}|`,
    ...rows,
    `| lowest (step) | ${lowest.map((point) => `${formatNumber(point.train as number)} (${formatNumber(point.step)})`).join(' | ')} |`,
  ].join('\n');
}
