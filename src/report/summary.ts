import type { JobReport } from '../engine/job-report.js';
import { cell } from './html.js';
import { lossChartSection } from './loss-chart.js';
import {
  checkpointsTable,
  factsTable,
  failureNote,
  fitWithin,
  gatesSection,
  headline,
  modelBlock,
  recentEventsBlock,
} from './sections.js';

/** GitHub rejects a step summary over 1 MiB; stay well inside it. */
export const MAX_SUMMARY_LENGTH = 900_000;

/** The job summary as Markdown with inline HTML; provider text is always escaped. */
export function renderSummary(report: JobReport): string {
  return fitWithin(
    [
      `### ${headline(report)}`,
      failureNote(report),
      factsTable(report),
      modelBlock(report),
      gatesSection(report),
      lossChartSection(report.metricRows),
      checkpointsTable(report, 50),
      recentEventsBlock(report, 30, 500),
    ],
    MAX_SUMMARY_LENGTH,
    3,
  );
}

/** The summary when the inputs were wrong and no job could be watched. */
export function renderInputFailure(message: string): string {
  return `### ❗ fine-tune-watch did not start: the inputs need fixing\n\n> ${cell(message, 2000)}\n`;
}
