/** One table for every row group: what was measured, against which target, and whether it was met. */

export type Verdict = 'met' | 'missed' | 'info';

export interface Row {
  /** The row number and name, e.g. "1 requests per idle poll". */
  group: string;
  /** Provider or variant, e.g. "Together" or "OpenAI, 100k events". */
  case: string;
  /** The headline number as printed, e.g. "1.00" or "0.04×". */
  result: string;
  /** The target as printed, e.g. "≤ 1"; '' for rows that only inform. */
  target: string;
  verdict: Verdict;
  /** The raw numbers behind the result. */
  detail: string;
  /**
   * Deterministic rows (request counts) fail the smoke run when missed; timing rows never do,
   * since CI machines are noisy.
   */
  strict?: boolean;
}

const MARK: Record<Verdict, string> = { met: 'met', missed: 'MISSED', info: '' };
const HEADERS = ['#', 'case', 'result', 'target', 'verdict', 'detail'];

function cells(row: Row): string[] {
  return [row.group, row.case, row.result, row.target, MARK[row.verdict], row.detail];
}

/** Aligned plain-text columns for the terminal. */
export function formatText(rows: readonly Row[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, i) => Math.max(...table.map((line) => [...(line[i] ?? '')].length)));
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));
  const lines = table.map((line) =>
    line
      .map((cell, i) => pad(cell, widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((width) => '-'.repeat(width)).join('  '));
  return lines.join('\n');
}

/** A GitHub-flavoured Markdown table. */
export function formatMarkdown(rows: readonly Row[]): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const line = (values: string[]) => `| ${values.map(escape).join(' | ')} |`;
  return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows.map((row) => line(cells(row)))].join('\n');
}

/** `value` against `limit`: met when at or under it. */
export function atMost(value: number, limit: number): Verdict {
  return value <= limit ? 'met' : 'missed';
}
