import type { Outcome } from '../constants.js';
import type { JobReport } from '../engine/job-report.js';
import type { SetReport } from '../engine/watch-jobs.js';
import { jobLabel } from '../report/console-reporter.js';
import { formatValue } from '../gates.js';
import { formatDuration, oneLine } from '../report/safe-text.js';
import type { Styles } from './terminal.js';

/** One job: its result. Several: what they add up to, then a line for each, then the best. */
export function describeSetResult(set: SetReport, styles: Styles): string[] {
  if (set.jobs.length === 1) return describeResult(set.jobs[0] as JobReport, styles);
  if (set.outcome === null) return [];
  const duration = formatDuration(set.finishedAt - set.startedAt);
  const lines = [
    `${styles.bold('Result:')} ${colourOf(set.outcome, styles)(set.outcome)} (${set.jobs.length} jobs) after ${duration}${set.interrupted ? ', interrupted' : ''}`,
  ];
  const width = Math.max(...set.jobs.map((job) => jobLabel(job.ref.jobId).length));
  for (const job of set.jobs) {
    const outcome = job.outcome ?? 'no outcome';
    const coloured = job.outcome ? colourOf(job.outcome, styles)(outcome.padEnd(10)) : outcome.padEnd(10);
    const detail = job.outcome === 'succeeded' ? (job.model ?? '') : (job.error ?? '');
    lines.push(`  ${jobLabel(job.ref.jobId).padEnd(width)}  ${coloured} ${oneLine(detail, 300)}`.trimEnd());
    for (const gate of job.gates.filter((g) => !g.passed))
      lines.push(`  ${' '.repeat(width)}  ${styles.red('gate FAIL')} ${gateText(gate)}`);
  }
  if (set.best) lines.push(`  ${'best'.padEnd(12)} ${set.best.ref.jobId}`);
  lines.push(`  ${'events'.padEnd(12)} ${set.eventsCount}, all in ${set.eventsFile}`);
  if (set.jobs.some((job) => job.cancelRequested))
    lines.push(`  ${'cancel'.padEnd(12)} asked the provider to cancel the jobs`);
  return lines;
}

const gateText = (gate: JobReport['gates'][number]) =>
  `${gate.condition} (${gate.value === null ? 'never reported' : formatValue(gate.value)})`;

/** The closing lines for a person: the outcome, then what a next step would need. */
export function describeResult(report: JobReport, styles: Styles): string[] {
  if (report.outcome === null) return [];
  const duration = formatDuration(report.finishedAt - report.startedAt);
  const providerStatus = report.job?.providerStatus ? ` (${oneLine(report.job.providerStatus)})` : '';
  const lines = [
    `${styles.bold('Result:')} ${colourOf(report.outcome, styles)(report.outcome)}${providerStatus} after ${duration}${report.interrupted ? ', interrupted' : ''}`,
  ];
  const row = (name: string, value: string) => lines.push(`  ${name.padEnd(12)} ${value}`);
  if (report.error) row('error', styles.red(oneLine(report.error, 500)));
  if (report.model) row('model', oneLine(report.model, 500));
  if (report.modelPath) row('model path', oneLine(report.modelPath, 500));
  for (const gate of report.gates)
    row('gate', `${gate.passed ? styles.green('pass') : styles.red('FAIL')} ${gateText(gate)}`);
  if (report.checkpoints.length > 0) row('checkpoints', String(report.checkpoints.length));
  row('events', `${report.eventsCount}, all in ${report.eventsFile}`);
  if (report.cancelRequested) row('cancel', 'asked the provider to cancel the job');
  return lines;
}

function colourOf(outcome: Outcome, styles: Styles): (text: string) => string {
  switch (outcome) {
    case 'succeeded':
      return styles.green;
    case 'failed':
    case 'cancelled':
    case 'rejected':
      return styles.red;
    case 'timed_out':
      return styles.yellow;
    case 'running':
      return styles.cyan;
  }
}
