/*
 * Provider text is untrusted: it may hold line breaks of any kind, terminal escapes, lone
 * surrogates, or megabytes. These helpers make it fit to print; neutralising workflow commands
 * is WorkflowLog's job (stop-commands), so these stay about shape, not meaning.
 */

const MAX_LINE = 2000;
const MAX_LINES = 20;
// C0 controls but tab, DEL and C1 controls: terminal escapes and other invisible mischief.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Splits on every kind of line break and cleans each line; long text is cut with a note. */
export function printableLines(text: string, maxLines = MAX_LINES, maxLine = MAX_LINE): string[] {
  const lines = text.toWellFormed().split(/\r\n|\r|\n|\u2028|\u2029/);
  const kept = lines.slice(0, maxLines).map((line) => clip(line.replace(CONTROL, '\uFFFD'), maxLine));
  if (lines.length > maxLines) kept.push(`… ${lines.length - maxLines} more lines`);
  return kept;
}

/** One line, for table cells and short labels. */
export function oneLine(text: string, max = 200): string {
  return clip(text.toWellFormed().replace(/\s+/g, ' ').replace(CONTROL, '\uFFFD').trim(), max);
}

/** One line that keeps its spacing (for <pre>): line breaks become spaces, nothing else changes. */
export function preLine(text: string, max = 500): string {
  return clip(
    text
      .toWellFormed()
      .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
      .replace(CONTROL, '\uFFFD'),
    max,
  );
}

/** Text cut to `max` characters (never half a surrogate pair), with a note of what was cut. */
export function clipText(text: string, max: number): string {
  return clip(text, max);
}

function clip(line: string, max: number): string {
  if (line.length <= max) return line;
  let cut = line.slice(0, max);
  // Never end on half a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}… (${line.length - cut.length} more characters)`;
}

export function formatDuration(ms: number): string {
  if (ms < 10_000) return `${Number(Math.max(0, ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An event's time as the logs show it: `2025-04-03 03:19:46Z` (ISO 8601, readable, whole seconds). */
export function formatEventTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
