import type { Outcome } from '../constants.js';
import { platformOf } from '../providers/index.js';
import type { JobReport } from '../engine/job-report.js';
import { describeProgress, formatEvent } from './console-reporter.js';
import { cell, code, copyable, escapeText } from './html.js';
import { formatValue } from '../gates.js';
import { formatNumber } from './loss-chart.js';
import { formatDuration, preLine } from './safe-text.js';

/*
 * The blocks the job summary and the pull-request comment are made of. Provider text only ever
 * enters through the escaping helpers of html.ts.
 */

export const OUTCOME_MARKS: Record<Outcome, string> = {
  succeeded: '✅',
  failed: '❌',
  cancelled: '⛔',
  running: '⏳',
  timed_out: '⌛',
  rejected: '🚫',
};

/** What the blocks need: a finished run's report, or a snapshot taken while waiting. */
export type ReportView = Pick<
  JobReport,
  | 'ref'
  | 'outcome'
  | 'job'
  | 'model'
  | 'modelPath'
  | 'error'
  | 'failure'
  | 'eventsCount'
  | 'checkpoints'
  | 'metricRows'
  | 'metrics'
  | 'gates'
  | 'recentEvents'
  | 'startedAt'
  | 'finishedAt'
  | 'dashboardUrl'
>;

export function jobLink(view: ReportView): string {
  return view.dashboardUrl
    ? `<a href="${escapeText(view.dashboardUrl)}">${code(view.ref.jobId)}</a>`
    : code(view.ref.jobId);
}

export function headline(view: ReportView): string {
  const provider = platformOf(view.ref.provider).displayName;
  if (view.failure) return `❗ fine-tune-watch could not watch ${provider} job ${jobLink(view)}`;
  const outcome = view.outcome ?? 'running';
  return `${OUTCOME_MARKS[outcome]} Fine-tune ${outcome.replace('_', ' ')}: ${provider} job ${jobLink(view)}`;
}

/** The facts table: outcome, statuses, model, progress, duration, size. */
export function factsTable(view: ReportView): string {
  const rows: [string, string][] = [
    ['Outcome', view.outcome ? `<b>${view.outcome}</b>` : '—'],
    ['Provider status', cell(view.job?.providerStatus)],
    ['Model', modelCell(view)],
  ];
  if (view.modelPath) rows.push(['Model path', code(view.modelPath, 300)]);
  if (view.job?.baseModel) rows.push(['Base model', code(view.job.baseModel)]);
  if (view.error && view.outcome === 'failed') rows.push(['Error', cell(view.error, 1000)]);
  const progress = view.job ? describeProgress(view.job) : '';
  if (progress) rows.push(['Progress', cell(progress)]);
  if (view.job?.trainedTokens) rows.push(['Trained tokens', groupThousands(view.job.trainedTokens)]);
  // The final losses, where the provider reports them (Bedrock reports nothing else).
  for (const [name, key] of [
    ['Training loss', 'train_loss'],
    ['Validation loss', 'valid_loss'],
  ] as const) {
    const value = view.metrics[key];
    if (value !== undefined) rows.push([name, formatGateValue(value)]);
  }
  const trainingTime = jobDuration(view);
  if (trainingTime) rows.push(['Training took', trainingTime]);
  rows.push(['Watched for', formatDuration(view.finishedAt - view.startedAt)]);
  rows.push(['Events', `${view.eventsCount}`]);
  // The first fact doubles as the header row: GitHub tables need one, and an empty one shows.
  const [head, ...rest] = rows.map(([name, value]) => `| ${name} | ${value} |`);
  return [head, '|---|---|', ...rest].join('\n');
}

/**
 * The model to deploy; a name the provider gave a job that has not succeeded (Together names the
 * output model at creation) is shown as what it is.
 */
function modelCell(view: ReportView): string {
  if (view.model) return code(view.model, 300);
  const named = view.job?.model;
  if (!named) return '—';
  const why =
    view.outcome === 'rejected'
      ? 'it did not pass its quality gates'
      : view.outcome === 'running' || view.outcome === null
        ? 'until the job succeeds'
        : 'the job did not succeed';
  return `${code(named, 300)} (not deployable: ${why})`;
}

/** The quality gates, each with its value and verdict; null without `require`. */
export function gatesSection(view: ReportView): string | null {
  if (view.gates.length === 0) return null;
  const verdict =
    view.outcome === 'rejected'
      ? 'The model did not pass: it is not offered for deployment.'
      : view.outcome === 'succeeded'
        ? 'The model passed every gate.'
        : 'Checked once the job succeeds; the values so far:';
  return [
    '#### Quality gates',
    '',
    verdict,
    '',
    '| | Condition | Value |',
    '|---|---|---:|',
    ...view.gates.map(
      (gate) =>
        // The value as reported, not rounded: 1.2004 failing `<= 1.2` must not read as 1.2.
        `| ${gate.passed ? '✅' : '❌'} | ${code(gate.condition)} | ${gate.value === null ? 'never reported' : formatValue(gate.value)} |`,
    ),
  ].join('\n');
}

const formatGateValue = (value: number) =>
  Number.isFinite(value) ? formatNumber(value) : formatValue(value);

/** The model again, in a block GitHub gives a copy button. */
export function modelBlock(view: ReportView): string | null {
  const block = view.model ? copyable(view.model) : null;
  return block ? `Model to deploy:\n\n${block}` : null;
}

export function failureNote(view: ReportView): string | null {
  return view.failure ? `> ${cell(view.failure.message, 1000)}` : null;
}

export function checkpointsTable(view: ReportView, limit: number): string | null {
  if (view.checkpoints.length === 0) return null;
  const shown = view.checkpoints.slice(-limit);
  const more = view.checkpoints.length > shown.length ? ` (newest ${shown.length} shown)` : '';
  return [
    `#### Checkpoints: ${view.checkpoints.length}${more}`,
    '',
    '| Step | Checkpoint | Created |',
    '|---:|---|---|',
    ...shown.map(
      (checkpoint) =>
        `| ${checkpoint.step ?? '—'} | ${checkpoint.model ? code(checkpoint.model, 300) : cell(checkpoint.id)} | ${cell(checkpoint.createdAt)} |`,
    ),
  ].join('\n');
}

export function recentEventsBlock(view: ReportView, limit: number, maxLine: number): string | null {
  const events = view.recentEvents.slice(-limit);
  if (events.length === 0) return null;
  // Inside <pre> every space shows: the provider's text keeps its spacing, line breaks aside.
  const lines = events.map((event) => escapeText(preLine(formatEvent(event), maxLine)));
  return [
    '<details>',
    `<summary>Last ${events.length} of ${view.eventsCount} events</summary>`,
    '',
    `<pre>${lines.join('\n')}</pre>`,
    '',
    '</details>',
  ].join('\n');
}

function jobDuration(view: ReportView): string | null {
  const created = view.job?.createdAt ? Date.parse(view.job.createdAt) : Number.NaN;
  const finished = view.job?.finishedAt ? Date.parse(view.job.finishedAt) : Number.NaN;
  return Number.isFinite(created) && Number.isFinite(finished) && finished >= created
    ? formatDuration(finished - created)
    : null;
}

/**
 * Joins blocks, dropping the least important ones (last first) until the text fits: GitHub
 * refuses summaries over 1 MiB and comments over 65,536 characters.
 */
export function fitWithin(blocks: readonly (string | null)[], maxLength: number, required = 1): string {
  const kept = blocks.filter((block): block is string => block !== null);
  let text = kept.join('\n\n');
  while (text.length > maxLength && kept.length > required) {
    kept.pop();
    text = kept.join('\n\n');
  }
  return text.length > maxLength
    ? `${text.slice(0, maxLength - 2).replace(/[\ud800-\udbff]$/, '')}…\n`
    : `${text}\n`;
}

/** 1103872 → 1,103,872 without Intl, whose first use costs more start-up than the whole summary. */
function groupThousands(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
