import { Output } from '../constants.js';
import type { JobReport } from '../engine/job-report.js';

/** Every output, on every outcome, so `if: always()` steps can read them. */
export function outputsOf(report: JobReport): Record<Output, string> {
  return {
    [Output.Status]: report.outcome ?? '',
    [Output.ProviderStatus]: report.job?.providerStatus ?? '',
    [Output.Model]: report.model ?? '',
    [Output.ModelPath]: report.modelPath ?? '',
    [Output.JobId]: report.ref.jobId,
    [Output.Error]: (report.error ?? '').toWellFormed(),
    [Output.EventsCount]: String(report.eventsCount),
    [Output.Checkpoints]: JSON.stringify(
      report.checkpoints.map((checkpoint) => ({
        id: checkpoint.id,
        step: checkpoint.step,
        model: checkpoint.model,
        created_at: checkpoint.createdAt,
      })),
    ),
    [Output.Metrics]: JSON.stringify(report.metrics),
    [Output.EventsFile]: report.eventsFile,
  };
}

/** The outputs when the step ends before a job could be watched (bad inputs). */
export function outputsBeforeStart(jobId: string, error: string): Record<Output, string> {
  return {
    [Output.Status]: '',
    [Output.ProviderStatus]: '',
    [Output.Model]: '',
    [Output.ModelPath]: '',
    [Output.JobId]: jobId,
    [Output.Error]: error,
    [Output.EventsCount]: '0',
    [Output.Checkpoints]: '[]',
    [Output.Metrics]: '{}',
    [Output.EventsFile]: '',
  };
}
