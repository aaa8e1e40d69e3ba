import { describe, expect, it } from 'vitest';
import type { MetricsRow } from '../src/model.js';
import { downsample, formatNumber, lossChartSection, resample } from '../src/report/loss-chart.js';
import { mermaid } from './support/mermaid.js';

const blocks = (markdown: string) =>
  [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');

const togetherRows: MetricsRow[] = [
  { 'train/global_step': 1, 'train/loss': 2.43 },
  { 'train/global_step': 2, 'train/loss': 2.11 },
  { 'train/global_step': 3, 'train/loss': 1.98 },
  { 'train/global_step': 3, 'eval/loss': 2.05 },
];

describe('lossChartSection', () => {
  it('draws training loss against step as a valid Mermaid xychart, with the numbers in a table', async () => {
    const section = lossChartSection(togetherRows) ?? '';
    const [block = ''] = blocks(section);
    expect(block).toContain('xychart-beta');
    expect(block).toContain('x-axis "step" 1 --> 3');
    expect(block).toContain('line [2.43, 2.11, 1.98]');
    await expect((await mermaid()).parse(block)).resolves.toMatchObject({ diagramType: 'xychart' });
    expect(section).toContain('| 3 | 1.98 | 2.05 |');
    expect(section).toContain('| 1 | 2.43 | — |');
  });

  it('lets the y-axis go below zero when a value does, and not otherwise', async () => {
    const negative = lossChartSection([
      { step: 1, train_loss: 0.4 },
      { step: 2, train_loss: -0.3 },
      { step: 3, train_loss: -0.9 },
    ]);
    const [block = ''] = blocks(negative ?? '');
    const [, low = 'NaN'] = /y-axis "loss" (\S+) -->/.exec(block) ?? [];
    expect(Number(low)).toBeLessThanOrEqual(-0.9);
    await expect((await mermaid()).parse(block)).resolves.toMatchObject({ diagramType: 'xychart' });
    const [positive = ''] = blocks(lossChartSection(togetherRows) ?? '');
    expect(Number(/y-axis "loss" (\S+) -->/.exec(positive)?.[1])).toBeGreaterThanOrEqual(0);
  });

  it('is what fails on a broken block', async () => {
    await expect(
      (await mermaid()).parse('xychart-beta\n  x-axis "step" [1, 2\n  line [1]'),
    ).rejects.toThrow();
  });

  it('gives occasional validation loss a chart of its own instead of inventing values between', async () => {
    const rows: MetricsRow[] = [
      ...Array.from({ length: 72 }, (_, i) => ({ 'train/global_step': i + 1, 'train/loss': 2.4 - i / 40 })),
      { 'train/global_step': 24, 'eval/loss': 1.3 },
      { 'train/global_step': 48, 'eval/loss': 0.9 },
      { 'train/global_step': 72, 'eval/loss': 0.62 },
    ];
    const charts = blocks(lossChartSection(rows) ?? '');
    expect(charts).toHaveLength(2);
    expect(charts[1]).toContain('title "Validation loss"');
    expect(charts[1]).toContain('x-axis "step" 24 --> 72');
    expect(charts[1]).toContain('line [1.3, 0.9, 0.62]');
    for (const block of charts) await expect((await mermaid()).parse(block)).resolves.toBeTruthy();
  });

  it('draws thousands of steps as 60 points per line, keeping the first, the last and the lowest', async () => {
    const rows: MetricsRow[] = Array.from({ length: 5000 }, (_, i) => ({
      step: i + 1,
      train_loss: i === 3210 ? 0.01 : 3 - i / 2500,
      valid_loss: 3.1 - i / 2600,
    }));
    const section = lossChartSection(rows) ?? '';
    const charts = blocks(section);
    expect(charts).toHaveLength(1);
    const lines = [...(charts[0] ?? '').matchAll(/line \[([^\]]*)\]/g)].map(
      (match) => match[1]?.split(', ').map(Number) ?? [],
    );
    expect(lines).toHaveLength(2);
    expect(lines.map((line) => line.length)).toEqual([60, 60]);
    expect(lines[0]?.[0]).toBe(3);
    expect(lines[0]).toContain(0.01);
    expect(lines[0]?.at(-1)).toBeCloseTo(1.0004, 3);
    expect(charts[0]).toContain('x-axis "step" 1 --> 5000');
    expect(charts[0]).not.toMatch(/\de[-+]?\d/);
    expect(section).toContain('| 3211 | 0.01 |');
    await expect((await mermaid()).parse(charts[0] ?? '')).resolves.toBeTruthy();
  });

  it('draws nothing without at least two steps of loss', () => {
    expect(lossChartSection([])).toBeNull();
    expect(lossChartSection([{ step: 1, train_loss: 2 }])).toBeNull();
    expect(
      lossChartSection([
        { step: 1, accuracy: 0.5 },
        { step: 2, accuracy: 0.6 },
      ]),
    ).toBeNull();
  });
});

describe('resample', () => {
  it('reads values off straight lines between measurements', () => {
    const points = [
      { step: 0, train: 4 },
      { step: 10, train: 2 },
    ];
    expect(resample(points, 'train', 3)).toEqual([4, 3, 2]);
  });
});

describe('downsample', () => {
  it('keeps short series whole', () => {
    const points = [1, 2, 3].map((step) => ({ step, train: step }));
    expect(downsample(points, 10, 'train')).toEqual(points);
  });
});

describe('formatNumber', () => {
  it('writes plain decimals with four significant digits', () => {
    expect(formatNumber(2.4312345)).toBe('2.431');
    expect(formatNumber(1.39e-7)).toBe('0.000000139');
    expect(formatNumber(72)).toBe('72');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(Number.NaN)).toBe('0');
  });
});
