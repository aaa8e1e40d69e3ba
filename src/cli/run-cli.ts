import { Input } from '../constants.js';
import { RunCancelled } from '../errors.js';
import type { Settings } from '../settings.js';
import { outputsBeforeStart } from '../report/outputs.js';
import { printableLines } from '../report/safe-text.js';
import { jobRefOf } from '../engine/watch-job.js';
import { watchJobs } from '../engine/watch-jobs.js';
import { type CliArgs, parseCliArgs, UsageError, wantsJson } from './args.js';
import { ExitCode, exitCodeOfSet } from './exit-codes.js';
import { humanFrontEnd, jsonFrontEnd } from './front-ends.js';
import { JsonLines, resultRecord } from './json-output.js';
import { readCliSettings } from './read-settings.js';
import type { TerminalStream } from './terminal.js';
import { usage } from './usage.js';
import { VERSION } from './version.js';

export interface CliIo {
  /** The log and the result (NDJSON with --json). */
  stdout: TerminalStream;
  /** Why the run could not start or was refused: usage, API and auth errors. */
  stderr: TerminalStream;
  /** Aborted with RunCancelled when the user presses Ctrl-C. */
  cancelSignal: AbortSignal;
}

/** One run of `fine-tune-watch`: parse, check, watch, report. Resolves to the exit code. */
export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(error, io, wantsJson(argv), '');
  }
  if (args.help) {
    io.stdout.write(usage(VERSION));
    return ExitCode.Success;
  }
  if (args.version) {
    io.stdout.write(`${VERSION}\n`);
    return ExitCode.Success;
  }

  let settings: Settings;
  try {
    settings = readCliSettings(args, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return usageFailure(error, io, args.json, args.readInput(Input.JobId)?.trim() ?? '');
  }

  const frontEnd = args.json ? jsonFrontEnd(io.stdout) : humanFrontEnd(io.stdout, env, jobRefOf(settings));
  // Failures the engine knows (a refused key, an API that never answered a single check) come
  // back in report.failure; only a bug gets past it, and the progress line must not stay behind.
  const report = await watchJobs(settings, {
    log: frontEnd.log,
    reporterFor: frontEnd.reporterFor,
    cancelSignal: io.cancelSignal,
    env,
    vocabulary: args.vocabulary,
  }).catch((error: unknown) => {
    frontEnd.stop();
    throw error;
  });
  const reason: unknown = io.cancelSignal.reason;
  const exitCode = exitCodeOfSet(
    report,
    settings.failOn,
    reason instanceof RunCancelled ? reason.signalName : null,
  );
  frontEnd.finish(report, exitCode);
  if (report.failure) writeError(io, report.failure.message);
  else
    for (const job of report.jobs)
      if (job.failure)
        writeError(
          io,
          report.jobs.length === 1 ? job.failure.message : `${job.ref.jobId}: ${job.failure.message}`,
        );
  return exitCode;
}

function usageFailure(error: UsageError, io: CliIo, json: boolean, jobId: string): number {
  writeError(io, `${error.message}\nRun \`fine-tune-watch --help\` for the options.`);
  // With --json, the last line of stdout is a result whatever happened.
  if (json)
    new JsonLines(io.stdout).write(resultRecord(ExitCode.Usage, outputsBeforeStart(jobId, error.message)));
  return ExitCode.Usage;
}

/** One message on stderr, cleaned like the log: it may quote the provider (a 401's body, …). */
function writeError(io: CliIo, message: string): void {
  io.stderr.write(`fine-tune-watch: ${printableLines(message).join('\n')}\n`);
}
