import type { Log } from '../report/log.js';
import { printableLines } from '../report/safe-text.js';
import type { LiveOutput } from './live-output.js';
import type { Styles } from './terminal.js';

/**
 * The run's own lines for a person at a terminal. Text is cleaned (control characters,
 * terminal escapes, endless lines) before any colour is added, so provider text can never
 * restyle or rewrite the terminal.
 */
export class HumanLog implements Log {
  constructor(
    private readonly out: LiveOutput,
    private readonly styles: Styles,
  ) {}

  line(text: string): void {
    this.out.print(printableLines(text));
  }

  lines(texts: readonly string[]): void {
    this.out.print(texts.flatMap((text) => printableLines(text)));
  }

  warning(text: string): void {
    const [first = '', ...rest] = printableLines(text);
    this.out.print([`${this.styles.yellow('warning:')} ${first}`, ...rest.map((line) => `  ${line}`)]);
  }

  // Provider events are printed by HumanReporter with their level; no second line for them.
  eventWarning(): void {}

  eventError(): void {}
}
