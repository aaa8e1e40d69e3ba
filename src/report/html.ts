import { oneLine } from './safe-text.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
  '|': '&#124;',
  '\\': '&#92;',
  '*': '&#42;',
  _: '&#95;',
  '[': '&#91;',
  ']': '&#93;',
  '~': '&#126;',
  '#': '&#35;',
  '@': '&#64;',
};

/**
 * Provider text made inert inside GitHub Markdown and HTML: no tags, no table breaks, no
 * emphasis, links, code spans, @mentions or #references. Every such character becomes an
 * entity, which GitHub shows as the character itself.
 */
export function escapeText(text: string): string {
  return text.toWellFormed().replace(/[&<>"'`|\\*_[\]~#@]/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** One escaped line, clipped: for table cells. */
export function cell(text: string | null | undefined, max = 200): string {
  return text ? escapeText(oneLine(text, max)) : '—';
}

/** Escaped text in a code span look, without Markdown backticks that the text could close. */
export function code(text: string, max = 200): string {
  return `<code>${escapeText(oneLine(text, max))}</code>`;
}
