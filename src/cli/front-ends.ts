import type { SetReport } from '../engine/watch-jobs.js';
import type { Log } from '../report/log.js';
import { jobLabel } from '../report/console-reporter.js';
import { outputsOf } from '../report/outputs.js';
import type { WatchReporter } from '../engine/poll-loop.js';
import type { JobRef } from '../model.js';
import { HumanLog } from './human-log.js';
import { HumanReporter } from './human-reporter.js';
import { describeSetResult } from './human-result.js';
import { JsonLines, JsonLog, JsonReporter, resultRecord } from './json-output.js';
import { LiveOutput } from './live-output.js';
import { stylesFor, type TerminalStream } from './terminal.js';

/** What the engine writes to (log and one reporter a job), and how the run's result is shown at the end. */
export interface FrontEnd {
  log: Log;
  reporterFor(jobId: string, inSet: boolean): WatchReporter;
  finish(report: SetReport, exitCode: number): void;
  /** Ends the output without a result (the run ended on an error of its own). */
  stop(): void;
}

/** Lines for a person: colours and a progress line on a terminal, plain lines in a pipe or CI log. */
export function humanFrontEnd(stdout: TerminalStream, env: NodeJS.ProcessEnv, ref: JobRef): FrontEnd {
  const styles = stylesFor(stdout, env);
  const out = new LiveOutput(stdout, styles);
  const log = new HumanLog(out, styles);
  return {
    log,
    // In a set, every line (and the progress line) starts with the job it is of.
    reporterFor: (jobId, inSet) =>
      new HumanReporter(out, log, styles, { ...ref, jobId }, inSet ? `[${jobLabel(jobId)}] ` : ''),
    finish: (report) => {
      out.stop();
      out.print(describeSetResult(report, styles));
    },
    stop: () => out.stop(),
  };
}

/** NDJSON for programs: see JsonLines. */
export function jsonFrontEnd(stdout: TerminalStream): FrontEnd {
  const out = new JsonLines(stdout);
  return {
    log: new JsonLog(out),
    reporterFor: (jobId) => new JsonReporter(out, jobId),
    finish: (report, exitCode) => out.write(resultRecord(exitCode, outputsOf(report))),
    stop: () => {},
  };
}
