import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog } from '../src/engine/event-log.js';
import { collectMetricRows, latestMetrics, lossPointOf } from '../src/metrics.js';
import type { FtEvent } from '../src/model.js';
import { readEvent, toIso, toLevel } from '../src/providers/fields.js';
import { platformOf } from '../src/providers/index.js';
import { classifyStatus } from '../src/status.js';

const observedAt = '2026-11-24T00:00:00.000Z';

describe('runtime', () => {
  it('runs the tests on Node 24, as the action runs', () => {
    expect(process.versions.node.split('.')[0]).toBe('24');
  });
});

describe('classifyStatus', () => {
  it.each([
    ['together', 'completed', 'succeeded'],
    ['together', 'ERROR', 'failed'],
    ['together', 'user_error', 'failed'],
    ['together', 'Cancelled', 'cancelled'],
    ['together', 'cancel_requested', 'running'],
    ['together', 'compressing', 'running'],
    ['openai', 'succeeded', 'succeeded'],
    ['openai', 'validating_files', 'running'],
    ['nebius', 'FAILED', 'failed'],
    ['nebius', 'created', 'running'],
  ] as const)('%s %s is %s', (provider, status, state) => {
    expect(classifyStatus(platformOf(provider).statuses, status)).toEqual({ state, known: true });
  });

  it('treats an unknown status as running, and says it is unknown', () => {
    expect(classifyStatus(platformOf('openai').statuses, 'warming_up')).toEqual({
      state: 'running',
      known: false,
    });
    expect(classifyStatus(platformOf('together').statuses, 'constructor')).toEqual({
      state: 'running',
      known: false,
    });
  });
});

describe('toIso', () => {
  it('reads ISO strings and Unix times of any unit', () => {
    expect(toIso('2023-11-07T19:04:30.579Z')).toBe('2023-11-07T19:04:30.579Z');
    expect(toIso(1765431035)).toBe('2025-12-11T05:30:35.000Z');
    expect(toIso('1765431035')).toBe('2025-12-11T05:30:35.000Z');
    expect(toIso(1765431035123)).toBe('2025-12-11T05:30:35.123Z');
    expect(toIso(1779196193564587000)).toBe('2026-05-19T13:09:53.564Z');
  });
  it('gives null for what is not a time', () => {
    for (const value of ['', 'yesterday', null, undefined, Number.NaN])
      expect(toIso(value as never)).toBeNull();
  });
});

describe('toLevel', () => {
  it('maps every provider spelling', () => {
    expect(['info', 'INFO', '', null, 'legacy_info', 'debug'].map(toLevel)).toEqual(Array(6).fill('info'));
    expect(['warn', 'warning', 'WARNING', 'legacy_iwarning'].map(toLevel)).toEqual(Array(4).fill('warning'));
    expect(['error', 'Error', 'legacy_ierror'].map(toLevel)).toEqual(Array(3).fill('error'));
  });
});

describe('readEvent', () => {
  it('normalises the 2023 Together event (UPPERCASE type, empty level and hash)', () => {
    const { event } = readEvent(
      {
        checkpoint_path: '',
        created_at: '2023-11-07T19:04:30.579Z',
        hash: '',
        level: '',
        message: 'Fine tune request created',
        model_path: '',
        object: 'fine-tune-event',
        type: 'JOB_PENDING',
      },
      observedAt,
    );
    expect(event).toEqual({
      id: null,
      createdAt: '2023-11-07T19:04:30.579Z',
      level: 'info',
      type: 'job_pending',
      message: 'Fine tune request created',
      data: null,
      modelPath: null,
    });
  });

  it('survives wrong types in every field', () => {
    for (const item of [
      null,
      42,
      'text',
      [],
      { id: 5, created_at: {}, level: 3, type: [], message: null, data: 'x' },
    ]) {
      const { event, digest } = readEvent(item, observedAt);
      expect(event.createdAt).toBe(observedAt);
      expect(event.level).toBe('info');
      expect(event.type).toBe('message');
      expect(typeof event.message).toBe('string');
      expect(digest).toMatch(/^[\w-]+$/);
    }
  });

  it('gives the same digest for the same content on every poll, whatever the time of reading', () => {
    const item = { message: 'no time here', type: 'x' };
    expect(readEvent(item, observedAt).digest).toBe(readEvent(item, '2030-01-01T00:00:00.000Z').digest);
  });
});

function ev(key: string, extra: Partial<FtEvent> = {}): FtEvent {
  return {
    key,
    id: key,
    createdAt: observedAt,
    level: 'info',
    type: 'message',
    message: key,
    data: null,
    modelPath: null,
    ...extra,
  };
}

describe('EventLog', () => {
  it('keeps each event once and writes NDJSON in the order accepted', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ftw-')), 'events.ndjson');
    const log = new EventLog(file);
    expect(log.accept([ev('a'), ev('b'), ev('a')]).map((e) => e.key)).toEqual(['a', 'b']);
    expect(log.accept([ev('b'), ev('c', { level: 'error', message: 'boom' })]).map((e) => e.key)).toEqual([
      'c',
    ]);
    expect(log.count).toBe(3);
    expect(log.facts().lastErrorMessage).toBe('boom');
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.id)).toEqual(['a', 'b', 'c']);
    expect(lines[0]).toEqual({
      created_at: observedAt,
      level: 'info',
      type: 'message',
      message: 'a',
      id: 'a',
    });
  });

  it('collects metrics events and model paths', () => {
    const log = new EventLog(join(mkdtempSync(join(tmpdir(), 'ftw-')), 'events.ndjson'));
    log.accept([
      ev('m1', { type: 'metrics', data: { step: 1, train_loss: 2.5, note: 'x' } }),
      ev('p', { modelPath: 's3://bucket/model' }),
      ev('m2', { type: 'metrics', data: { step: 2, train_loss: 2.1, valid_loss: 2.3 } }),
    ]);
    expect(log.facts().metricRows).toEqual([
      { step: 1, train_loss: 2.5 },
      { step: 2, train_loss: 2.1, valid_loss: 2.3 },
    ]);
    expect(log.facts().newestModelPath).toBe('s3://bucket/model');
  });
});

describe('metrics', () => {
  it('keeps the latest of each metric and adds the common names', () => {
    const rows = collectMetricRows(
      [],
      [
        { 'train/global_step': 2, 'train/loss': 2.11 },
        { 'train/global_step': 1, 'train/loss': 2.43 },
        { 'train/global_step': 3, 'eval/loss': 2.05 },
        { 'train/global_step': 3, 'train/loss': 1.98 },
      ],
      [],
    );
    expect(latestMetrics(rows)).toEqual({
      'train/global_step': 3,
      'train/loss': 1.98,
      'eval/loss': 2.05,
      step: 3,
      train_loss: 1.98,
      valid_loss: 2.05,
    });
    expect(rows.map(lossPointOf)).toEqual([
      { step: 1, trainLoss: 2.43 },
      { step: 2, trainLoss: 2.11 },
      { step: 3, validLoss: 2.05 },
      { step: 3, trainLoss: 1.98 },
    ]);
  });

  it('falls back to checkpoint metrics, with the checkpoint step', () => {
    const rows = collectMetricRows(
      [],
      [],
      [{ id: 'c', step: 88, model: null, createdAt: null, metrics: { full_valid_loss: 0.5 } }],
    );
    expect(latestMetrics(rows)).toEqual({ step: 88, full_valid_loss: 0.5, valid_loss: 0.5 });
  });

  it('is empty without metrics', () => {
    expect(latestMetrics(collectMetricRows([], [], []))).toEqual({});
  });
});
