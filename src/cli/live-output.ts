import { formatDuration } from '../report/safe-text.js';
import type { Styles, TerminalStream } from './terminal.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Often enough for the spinner and the elapsed time to look alive, rarely enough to cost nothing. */
const REDRAW_MS = 250;
const CLEAR_LINE = '\r\u001b[2K';

/**
 * Lines of output, and on a terminal one progress line under them that is redrawn in place.
 * Every line is cleared before anything else is written, so the log above stays clean; off a
 * terminal (a pipe, a CI log) there is no progress line at all, only the lines.
 */
export class LiveOutput {
  private progress = '';
  private shown = false;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly stream: TerminalStream,
    private readonly styles: Styles,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Whether a progress line is drawn (heartbeat lines are then unnecessary). */
  get live(): boolean {
    return this.stream.isTTY;
  }

  /** Writes finished lines above the progress line. Lines must already be safe to print. */
  print(lines: readonly string[]): void {
    if (lines.length === 0) return;
    this.clear();
    this.stream.write(lines.map((line) => `${line}\n`).join(''));
    this.draw();
  }

  /** Plain text (no colours): it is cut to the terminal's width. */
  setProgress(text: string): void {
    if (!this.live) return;
    this.progress = text;
    // unref: the progress line must never be what keeps the process alive.
    this.timer ??= setInterval(() => this.draw(), REDRAW_MS).unref();
    this.draw();
  }

  /** Removes the progress line for good; later lines print as plain lines. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
    this.progress = '';
  }

  private clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR_LINE);
    this.shown = false;
  }

  private draw(): void {
    if (!this.live || this.progress === '') return;
    const spinner = SPINNER[this.frame++ % SPINNER.length] ?? '';
    const text = `${this.progress} · ${formatDuration(this.now() - this.startedAt)}`;
    // One column short of the width: a line that fills it wraps on some terminals, and a
    // wrapped line can no longer be cleared with \r.
    // A pseudo-terminal may report 0 columns: treat that like an unknown width.
    const width = Math.max(10, (this.stream.columns || 80) - 3);
    const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text;
    this.stream.write(`${CLEAR_LINE}${this.styles.cyan(spinner)} ${fitted}`);
    this.shown = true;
  }
}
