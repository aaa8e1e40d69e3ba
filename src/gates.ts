/**
 * Quality gates: conditions the final training metrics must meet (`valid_loss <= 1.2`) for a
 * job that succeeded to count as `succeeded` rather than `rejected`.
 */
import { lossAliasOf } from './metrics.js';
import type { MetricsRow } from './model.js';

export type Operator = '<' | '<=' | '>' | '>=';

export interface Condition {
  /** As written, spaces normalised: `valid_loss <= 1.2`. */
  text: string;
  metric: string;
  operator: Operator;
  threshold: number;
}

export interface GateResult {
  condition: string;
  metric: string;
  /** The metric's final value; null when it was never reported (NaN and ±Infinity as they were). */
  value: number | null;
  passed: boolean;
}

const CONDITION = /^([A-Za-z_][\w./-]*)\s*(<=|>=|<|>)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)$/;
export const CONDITION_EXAMPLE = 'valid_loss <= 1.2';

/** The conditions of `require` (one a line, or `;`-separated), or the first piece that is not one. */
export function parseRequire(raw: string): Condition[] | { invalid: string } {
  const conditions: Condition[] = [];
  for (const piece of raw.split(/[\n;]/)) {
    const text = piece.trim();
    if (text === '') continue;
    const match = CONDITION.exec(text);
    if (!match) return { invalid: text };
    const [, metric = '', operator = '<', number = ''] = match;
    const threshold = Number(number);
    if (!Number.isFinite(threshold)) return { invalid: text };
    conditions.push({
      text: `${metric} ${operator} ${number}`,
      metric,
      operator: operator as Operator,
      threshold,
    });
  }
  return conditions;
}

/** Loss metrics by name: NaN or infinite in any of them rejects a job with gates. */
export const isLoss = (metric: string) => /loss/i.test(metric);

export interface GateVerdict {
  results: GateResult[];
  /** Why the job is rejected, one sentence a reason; empty when every gate holds. */
  reasons: string[];
}

export function evaluateGates(conditions: readonly Condition[], metrics: MetricsRow): GateVerdict {
  const results = conditions.map((condition) => {
    const value = Object.hasOwn(metrics, condition.metric) ? (metrics[condition.metric] as number) : null;
    return { condition: condition.text, metric: condition.metric, value, passed: holds(condition, value) };
  });
  const reasons = results
    .filter((result) => !result.passed)
    .map((result) =>
      result.value === null
        ? `${result.condition}: ${result.metric} was never reported`
        : `${result.condition}: ${result.metric} is ${formatValue(result.value)}`,
    );
  if (conditions.length > 0) {
    const named = new Set(conditions.map((condition) => condition.metric));
    for (const [metric, value] of Object.entries(metrics)) {
      if (!isLoss(metric) || Number.isFinite(value) || named.has(metric)) continue;
      // Together's `train/loss` is also `train_loss`: one loss, said once, by the common name.
      const alias = lossAliasOf(metric);
      if (alias !== undefined && alias !== metric && Object.is(metrics[alias], value)) continue;
      reasons.push(`${metric} is ${formatValue(value)}`);
    }
  }
  return { results, reasons };
}

function holds(condition: Condition, value: number | null): boolean {
  if (value === null || Number.isNaN(value)) return false;
  switch (condition.operator) {
    case '<':
      return value < condition.threshold;
    case '<=':
      return value <= condition.threshold;
    case '>':
      return value > condition.threshold;
    case '>=':
      return value >= condition.threshold;
  }
}

/** NaN and ±Infinity by name; other numbers as JavaScript writes them. */
export function formatValue(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/** A value for JSON outputs: NaN and ±Infinity as strings (JSON has no such numbers). */
export function jsonValue(value: number | null): number | string | null {
  return value === null || Number.isFinite(value) ? value : formatValue(value);
}
