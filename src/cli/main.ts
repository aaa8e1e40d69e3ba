import { runCli } from './run-cli.js';
import { stopOnSignals } from '../signals.js';
import { interruptedExitCode } from './exit-codes.js';
import { fromProcessStream } from './terminal.js';

/** The process around runCli: argv, env, streams, signals and the exit code. */
export function main(): void {
  const cancel = new AbortController();
  // After Ctrl-C, cancelling the job and the last lines get 5 s; a second Ctrl-C exits at once.
  const stopListening = stopOnSignals(cancel, {
    forceExitAfterMs: 5_000,
    exitCode: interruptedExitCode,
    exitOnSecondSignal: true,
  });
  runCli(process.argv.slice(2), process.env, {
    stdout: fromProcessStream(process.stdout),
    stderr: fromProcessStream(process.stderr),
    cancelSignal: cancel.signal,
  }).then(
    (exitCode) => {
      stopListening();
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      // Only a bug gets here: every expected failure has its own exit code and message.
      process.stderr.write(
        `fine-tune-watch failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
