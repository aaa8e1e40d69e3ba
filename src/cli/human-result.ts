import type { Outcome } from '../constants.js';
import type { JobReport } from '../engine/job-report.js';
import { formatDuration, oneLine } from '../report/safe-text.js';
import type { Styles } from './terminal.js';

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
      return styles.red;
    case 'timed_out':
      return styles.yellow;
    case 'running':
      return styles.cyan;
  }
}
