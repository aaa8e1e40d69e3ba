import { Output } from '../constants.js';
import type { JobReport } from '../engine/job-report.js';
import type { SetReport } from '../engine/watch-jobs.js';
import { jsonValue } from '../gates.js';
import type { MetricsRow } from '../model.js';

type JobOutput = Exclude<Output, Output.Jobs | Output.BestJobId>;

/**
 * Every output, on every outcome, so `if: always()` steps can read them. One job: its own values.
 * Several: the set's status, the best job's model (and, for the fields of one job, the best's, or
 * the first's when none succeeded), one line of `error` per job that did not succeed.
 */
export function outputsOf(set: SetReport): Record<Output, string> {
  const jobs = JSON.stringify(set.jobs.map(jobRecord));
  const bestJobId = set.best?.ref.jobId ?? '';
  if (set.jobs.length === 1)
    return { ...jobOutputs(set.jobs[0] as JobReport), [Output.Jobs]: jobs, [Output.BestJobId]: bestJobId };
  const shown = jobOutputs(set.best ?? (set.jobs[0] as JobReport));
  return {
    ...shown,
    [Output.Status]: set.outcome ?? '',
    [Output.Model]: set.best?.model ?? '',
    [Output.JobId]: set.jobs.map((job) => job.ref.jobId).join(','),
    [Output.Error]: (set.failure?.message ?? errorLines(set.jobs)).toWellFormed(),
    [Output.EventsCount]: String(set.eventsCount),
    [Output.EventsFile]: set.eventsFile,
    [Output.Jobs]: jobs,
    [Output.BestJobId]: bestJobId,
  };
}

/** `<job-id>: <why>`, a line for each job that did not succeed. */
function errorLines(jobs: readonly JobReport[]): string {
  return jobs
    .filter((job) => job.outcome !== 'succeeded')
    .map((job) => `${job.ref.jobId}: ${(job.error ?? job.outcome ?? 'no outcome').replace(/\s*\n\s*/g, ' ')}`)
    .join('\n');
}

function jobOutputs(report: JobReport): Record<JobOutput, string> {
  return {
    [Output.Status]: report.outcome ?? '',
    [Output.ProviderStatus]: report.job?.providerStatus ?? '',
    [Output.Model]: report.model ?? '',
    [Output.ModelPath]: report.modelPath ?? '',
    [Output.JobId]: report.ref.jobId,
    [Output.Error]: (report.error ?? '').toWellFormed(),
    [Output.EventsCount]: String(report.eventsCount),
    [Output.Checkpoints]: JSON.stringify(checkpointsOf(report)),
    [Output.Metrics]: JSON.stringify(metricsJson(report.metrics)),
    [Output.EventsFile]: report.eventsFile,
    [Output.Gates]: JSON.stringify(gatesOf(report)),
  };
}

/** One job in `jobs`: the outputs of one job, as JSON values rather than strings. */
function jobRecord(report: JobReport): Record<string, unknown> {
  return {
    'job-id': report.ref.jobId,
    status: report.outcome,
    'provider-status': report.job?.providerStatus ?? null,
    model: report.model,
    'model-path': report.modelPath,
    error: report.error === null ? null : report.error.toWellFormed(),
    'events-count': report.eventsCount,
    checkpoints: checkpointsOf(report),
    metrics: metricsJson(report.metrics),
    gates: gatesOf(report),
  };
}

const checkpointsOf = (report: JobReport) =>
  report.checkpoints.map((checkpoint) => ({
    id: checkpoint.id,
    step: checkpoint.step,
    model: checkpoint.model,
    created_at: checkpoint.createdAt,
  }));

const gatesOf = (report: JobReport) =>
  report.gates.map((gate) => ({ ...gate, value: jsonValue(gate.value) }));

/** JSON has no NaN or Infinity: such values are written as strings, so no loss is hidden. */
function metricsJson(metrics: MetricsRow): Record<string, number | string | null> {
  return Object.fromEntries(Object.entries(metrics).map(([name, value]) => [name, jsonValue(value)]));
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
    [Output.Gates]: '[]',
    [Output.Jobs]: '[]',
    [Output.BestJobId]: '',
  };
}
