import type { MetricsRow } from './model.js';

/** How jobs are ranked for `best-job-id`: by a metric, lowest first unless `max <metric>`. */
export interface Ranking {
  metric: string;
  highestWins: boolean;
}

/** `valid_loss` or `max valid_mean_token_accuracy`; null when it is neither. */
export function parseRanking(raw: string): Ranking | null {
  const match = /^\s*(?:(max|min)\s+)?([A-Za-z_][\w./-]*)\s*$/i.exec(raw);
  if (!match) return null;
  return { metric: match[2] as string, highestWins: (match[1] ?? '').toLowerCase() === 'max' };
}

export const describeRanking = (ranking: Ranking) =>
  `${ranking.highestWins ? 'highest' : 'lowest'} ${ranking.metric}`;

/**
 * The index of the first-ranked candidate: the best value of the metric (NaN counts as none);
 * a candidate without it ranks after those with it; ties keep the order given. -1 for none.
 */
export function bestOf(candidates: readonly { metrics: MetricsRow }[], ranking: Ranking): number {
  let best = -1;
  let bestValue: number | null = null;
  candidates.forEach((candidate, index) => {
    const raw = candidate.metrics[ranking.metric];
    const value = raw !== undefined && !Number.isNaN(raw) ? raw : null;
    if (best < 0) {
      best = index;
      bestValue = value;
      return;
    }
    if (value === null) return;
    if (bestValue === null || (ranking.highestWins ? value > bestValue : value < bestValue)) {
      best = index;
      bestValue = value;
    }
  });
  return best;
}
