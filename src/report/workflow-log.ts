import { randomBytes } from 'node:crypto';
import * as core from '../action/actions-core.js';
import type { Log } from './log.js';
import { oneLine, printableLines } from './safe-text.js';

/** GitHub shows at most 10 annotations of each kind per step; more would only be dropped. */
const MAX_ANNOTATIONS = 10;
/** Lines written per call. */
const WRITE_SLICE = 1_000;

export type Write = (chunk: string) => void;

/**
 * The action's log. Lines that carry provider text are printed between `::stop-commands::` and
 * a fresh random token, so the runner reads none of them as a workflow command however they
 * are crafted (`::add-mask::`, `::set-output`, legacy `##[…]`); annotations go through
 * @actions/core, which escapes line breaks so their text stays one command's message.
 */
export class WorkflowLog implements Log {
  private warnings = 0;
  private errors = 0;

  constructor(private readonly write: Write = (chunk) => process.stdout.write(chunk)) {}

  /** Prints lines that may contain provider text. */
  lines(lines: readonly string[]): void {
    if (lines.length === 0) return;
    const token = randomBytes(16).toString('hex');
    this.write(`::stop-commands::${token}\n`);
    // In slices, so 100,000 events never make one string of all their lines.
    for (let i = 0; i < lines.length; i += WRITE_SLICE) {
      this.write(
        `${lines
          .slice(i, i + WRITE_SLICE)
          .flatMap((line) => printableLines(line))
          .join('\n')}\n`,
      );
    }
    this.write(`::${token}::\n`);
  }

  line(text: string): void {
    this.lines([text]);
  }

  /** A warning annotation for a provider event; the first ten only. */
  eventWarning(message: string, title: string): void {
    if (this.warnings++ < MAX_ANNOTATIONS)
      core.warning(oneLine(message, 1000), { title: oneLine(title, 100) });
  }

  eventError(message: string, title: string): void {
    if (this.errors++ < MAX_ANNOTATIONS) core.error(oneLine(message, 1000), { title: oneLine(title, 100) });
  }

  /** Our own warning (its text may quote the provider, so it is cleaned the same way). */
  warning(message: string): void {
    core.warning(printableLines(message).join('\n'));
  }
}
