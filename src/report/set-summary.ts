/**
 * The summary and pull-request comment of a set of jobs: one table comparing them (outcome,
 * model, final losses, training time, gates), the best marked, and one loss chart with a line per
 * job, its colour shown beside the job in the table (xychart has no legend).
 */
import type { JobReport } from '../engine/job-report.js';
import type { SetReport } from '../engine/watch-jobs.js';
import { lossPointOf } from '../metrics.js';
import { platformOf } from '../providers/index.js';
import { describeRanking, type Ranking } from '../ranking.js';
import { jobLabel } from './console-reporter.js';
import { cell, code, copyable, escapeText } from './html.js';
import { formatNumber, type LossLine, setLossChart, setLossNumbers } from './loss-chart.js';
import { fitWithin, OUTCOME_MARKS } from './sections.js';
import { formatDuration } from './safe-text.js';

/** Colours a line of the chart can take, each with the square that stands for it in the table. */
const COLOURS: readonly { square: string; hex: string }[] = [
  { square: '🟦', hex: '#2563eb' },
  { square: '🟧', hex: '#f97316' },
  { square: '🟩', hex: '#16a34a' },
  { square: '🟥', hex: '#dc2626' },
  { square: '🟪', hex: '#9333ea' },
  { square: '🟫', hex: '#92400e' },
  { square: '⬛', hex: '#111827' },
  { square: '🟨', hex: '#eab308' },
];

export const MAX_SET_SUMMARY = 900_000;

export function renderSetSummary(set: SetReport, ranking: Ranking): string {
  return fitWithin(setBlocks(set, ranking), MAX_SET_SUMMARY, 3);
}

/** The blocks, most important first (fitWithin drops from the end). */
export function setBlocks(set: SetReport, ranking: Ranking): (string | null)[] {
  const charted = chartedJobs(set);
  return [
    `### ${setHeadline(set, ranking)}`,
    set.failure ? `> ${cell(set.failure.message, 1000)}` : null,
    comparisonTable(set, charted),
    bestModelBlock(set),
    lossSection(charted, jobsWithLoss(set).length),
  ];
}

function setHeadline(set: SetReport, ranking: Ranking): string {
  const counts = new Map<string, number>();
  for (const job of set.jobs)
    counts.set(job.outcome ?? 'no outcome', (counts.get(job.outcome ?? 'no outcome') ?? 0) + 1);
  const tally = [...counts].map(([outcome, count]) => `${count} ${outcome.replace('_', ' ')}`).join(', ');
  const mark = set.failure ? '❗' : OUTCOME_MARKS[set.outcome ?? 'running'];
  const provider = platformOf(set.jobs[0]?.ref.provider ?? 'openai').displayName;
  const best = set.best
    ? `; best: ${code(set.best.ref.jobId)} (${escapeText(describeRanking(ranking))})`
    : '';
  return `${mark} ${set.jobs.length} ${provider} fine-tunes: ${tally}${best}`;
}

function comparisonTable(set: SetReport, charted: Map<JobReport, string>): string {
  const rows = set.jobs.map((job) => {
    const marks = `${job === set.best ? '🏆 ' : ''}${charted.get(job) ?? ''}`;
    const train = job.metrics.train_loss;
    const valid = job.metrics.valid_loss;
    // Gates judge a job that succeeded; a failed job's gates were never checked.
    const judged = job.outcome === 'succeeded' || job.outcome === 'rejected';
    const gates =
      job.gates.length === 0 || !judged
        ? '—'
        : `${job.gates.every((gate) => gate.passed) ? '✅' : '❌'} ${job.gates.filter((gate) => gate.passed).length}/${job.gates.length}`;
    return `| ${marks || ' '} | ${code(job.ref.jobId, 120)} | ${OUTCOME_MARKS[job.outcome ?? 'running']} ${job.outcome ?? 'no outcome'} | ${job.model ? code(job.model, 160) : job.outcome === 'succeeded' ? '—' : cell(whyNot(job), 160)} | ${lossCell(train)} | ${lossCell(valid)} | ${trainingTime(job)} | ${gates} |`;
  });
  return [
    '| | Job | Outcome | Model | Training loss | Validation loss | Training took | Gates |',
    '|---|---|---|---|---:|---:|---|---|',
    ...rows,
  ].join('\n');
}

const lossCell = (value: number | undefined) =>
  value === undefined ? '—' : Number.isFinite(value) ? formatNumber(value) : String(value);

function whyNot(job: JobReport): string {
  return job.error ?? job.failure?.message ?? '—';
}

function trainingTime(job: JobReport): string {
  const created = job.job?.createdAt ? Date.parse(job.job.createdAt) : Number.NaN;
  const finished = job.job?.finishedAt ? Date.parse(job.job.finishedAt) : Number.NaN;
  return Number.isFinite(created) && Number.isFinite(finished) && finished >= created
    ? formatDuration(finished - created)
    : '—';
}

function bestModelBlock(set: SetReport): string | null {
  const model = set.best?.model;
  if (!model) return null;
  const block = copyable(model);
  return `Model to deploy (the best job's): ${code(model, 300)}${block ? `\n\n${block}` : ''}`;
}

/** The jobs drawn in the chart, each with its colour's square: the best first, then in order. */
function chartedJobs(set: SetReport): Map<JobReport, string> {
  const charted = new Map<JobReport, string>();
  for (const job of jobsWithLoss(set).slice(0, COLOURS.length))
    charted.set(job, (COLOURS[charted.size] as { square: string }).square);
  return charted;
}

/** Jobs with a loss curve to draw (two points or more), the best first. */
function jobsWithLoss(set: SetReport): JobReport[] {
  const withLoss = (job: JobReport) =>
    job.metricRows.filter((row) => lossPointOf(row)?.trainLoss !== undefined).length >= 2;
  return [...(set.best ? [set.best] : []), ...set.jobs.filter((job) => job !== set.best)].filter(withLoss);
}

function lossSection(charted: Map<JobReport, string>, withLoss: number): string | null {
  if (charted.size === 0) return null;
  // Eight colours tell lines apart; more would repeat them, and a line could no longer be named.
  const left = withLoss - charted.size;
  const leftOut =
    left > 0 ? ` ${left} more ${left === 1 ? 'job is' : 'jobs are'} in the table above, not drawn.` : '';
  const lines: (LossLine & { label: string })[] = [...charted].map(([job, square], index) => ({
    rows: job.metricRows,
    colour: (COLOURS[index] as { hex: string }).hex,
    label: `${square} ${code(jobLabel(job.ref.jobId), 60)}`,
  }));
  const chart = setLossChart(lines);
  const numbers = setLossNumbers(lines);
  if (chart === null || numbers === null) return null;
  const key = [...charted]
    .map(([job, square]) => `${square} ${code(jobLabel(job.ref.jobId), 60)}`)
    .join(' · ');
  return [
    '#### Training loss by job',
    '',
    `Each job's training loss over its own steps (0 to 100 %). ${key}.${leftOut}`,
    '',
    chart,
    '',
    '<details><summary>The numbers</summary>',
    '',
    numbers,
    '',
    '</details>',
  ].join('\n');
}

export const MAX_SET_COMMENT = 65_000;

/** The pull-request comment of a set: its marker, the table and the chart, within GitHub's limit. */
export function renderSetComment(
  set: SetReport,
  ranking: Ranking,
  marker: string,
  runUrl: string | null,
): string {
  const footer = runUrl
    ? `<sub>Updated by fine-tune-watch in <a href="${escapeText(runUrl)}">this run</a>.</sub>`
    : null;
  const [headline, failure, table, model, chart] = setBlocks(set, ranking);
  return fitWithin(
    [marker, headline ?? null, failure ?? null, table ?? null, model ?? null, footer, chart ?? null],
    MAX_SET_COMMENT,
    4,
  );
}
