import { oneLine } from './safe-text.js';

const ENTITIES: Record<string, string> = {
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
  // GitHub finds @mentions and #references in the rendered text, after entities are decoded,
  // so those two keep their character and gain a zero-width space that breaks the pattern.
  '@': '@&#8203;',
  '#': '#&#8203;',
};

/**
 * Provider text made inert inside GitHub Markdown and HTML: no tags, no table breaks, no
 * emphasis, links or code spans, and no @mentions or #references that would notify or link.
 * GitHub shows each entity as the character itself.
 */
export function escapeText(text: string): string {
  return text.toWellFormed().replace(/[&<>"'`|\\*_[\]~#@]/g, (char) => ENTITIES[char] ?? char);
}

/** One escaped line, clipped: for table cells. */
export function cell(text: string | null | undefined, max = 200): string {
  return text ? escapeText(oneLine(text, max)) : '—';
}

/** Escaped text in a code span look, without Markdown backticks that the text could close. */
export function code(text: string, max = 200): string {
  return `<code>${escapeText(oneLine(text, max))}</code>`;
}

/** What model names are made of; anything else is not put in a raw code block. */
const PLAIN_NAME = /^[\w.:/+=-]+$/;

/**
 * A fenced block GitHub shows with a copy button, for names made of plain characters only:
 * text inside a fence cannot be escaped, so a name with markup is left to the escaped code span.
 */
export function copyable(text: string, max = 300): string | null {
  const value = oneLine(text, max);
  return PLAIN_NAME.test(value) ? `\`\`\`text\n${value}\n\`\`\`` : null;
}
