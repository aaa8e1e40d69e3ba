/**
 * The first character of a key that HTTP cannot carry in a header, or that no API key holds:
 * a copy-paste accident (a line break, a zero-width space, a non-ASCII letter, a space). Null
 * when every character is visible ASCII. Positions count from 1, for people.
 */
export function unsendableCharacter(value: string): { position: number; codePoint: string } | null {
  const index = value.search(/[^\x21-\x7e]/);
  if (index < 0) return null;
  const code = value.codePointAt(index) ?? 0;
  return { position: index + 1, codePoint: `U+${code.toString(16).toUpperCase().padStart(4, '0')}` };
}
