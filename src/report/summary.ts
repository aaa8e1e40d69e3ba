import { DISPLAY_NAMES, type Outcome } from '../constants.js';
import type { JobReport } from '../job-report.js';
import { describeProgress, formatEvent } from './console-reporter.js';
import { cell, code, escapeText } from './html.js';
import { formatDuration, oneLine } from './safe-text.js';

const MARKS: Record<Outcome, string> = {
  succeeded: '✅',
  failed: '❌',
  cancelled: '⛔',
  running: '⏳',
  timed_out: '⌛',
};
const SUMMARY_EVENTS = 30;
const SUMMARY_CHECKPOINTS = 50;

/** The job summary as Markdown with inline HTML; provider text is always escaped. */
export function renderSummary(report: JobReport): string {
  const provider = DISPLAY_NAMES[report.ref.provider];
  const jobId = report.dashboardUrl
    ? `<a href="${escapeText(report.dashboardUrl)}">${code(report.ref.jobId)}</a>`
    : code(report.ref.jobId);
  const headline = report.failure
    ? `❗ fine-tune-watch could not watch ${provider} job ${jobId}`
    : `${MARKS[report.outcome ?? 'running']} Fine-tune ${(report.outcome ?? 'running').replace('_', ' ')}: ${provider} job ${jobId}`;
  const parts = [`### ${headline}`, ''];
  if (report.failure) parts.push(`> ${cell(report.failure.message, 1000)}`, '');

  const rows: [string, string][] = [
    ['Outcome', report.outcome ? `<b>${report.outcome}</b>` : '—'],
    ['Provider status', cell(report.job?.providerStatus)],
    ['Model', report.model ? code(report.model, 300) : '—'],
  ];
  if (report.modelPath) rows.push(['Model path', code(report.modelPath, 300)]);
  if (report.job?.baseModel) rows.push(['Base model', code(report.job.baseModel)]);
  if (report.error && report.outcome === 'failed') rows.push(['Error', cell(report.error, 1000)]);
  const progress = report.job ? describeProgress(report.job.progress) : '';
  if (progress) rows.push(['Progress', cell(progress)]);
  if (report.job?.trainedTokens)
    rows.push(['Trained tokens', report.job.trainedTokens.toLocaleString('en-US')]);
  rows.push(['Watched for', formatDuration(report.finishedAt - report.startedAt)]);
  rows.push(['Events', `${report.eventsCount}`]);
  parts.push('| | |', '|---|---|', ...rows.map(([name, value]) => `| ${name} | ${value} |`), '');

  if (report.checkpoints.length > 0) {
    const shown = report.checkpoints.slice(-SUMMARY_CHECKPOINTS);
    parts.push(
      `#### Checkpoints (${report.checkpoints.length})`,
      '',
      '| Step | Checkpoint | Created |',
      '|---:|---|---|',
      ...shown.map(
        (checkpoint) =>
          `| ${checkpoint.step ?? '—'} | ${checkpoint.model ? code(checkpoint.model, 300) : cell(checkpoint.id)} | ${cell(checkpoint.createdAt)} |`,
      ),
      '',
    );
  }

  const events = report.recentEvents.slice(-SUMMARY_EVENTS);
  if (events.length > 0) {
    const lines = events.map((event) => escapeText(oneLine(formatEvent(event), 500)));
    parts.push(
      '<details>',
      `<summary>Last ${events.length} of ${report.eventsCount} events</summary>`,
      '',
      `<pre>${lines.join('\n')}</pre>`,
      '',
      '</details>',
      '',
    );
  }
  return parts.join('\n');
}
