/**
 * Whether an SPDX licence expression (`MIT`, `(MIT OR Apache-2.0)`, `Apache-2.0 AND MIT`,
 * `GPL-2.0-only WITH Classpath-exception-2.0`) is satisfied by the allowed licences: OR needs
 * one side allowed, AND both. An exception (WITH) is judged by its licence; anything that does
 * not parse is not allowed.
 */
export function isAllowed(expression: string, allowed: ReadonlySet<string>): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at]?.toUpperCase();

  // expression := and ("OR" and)* ; and := atom ("AND" atom)* ; atom := "(" expression ")" | id ["WITH" id]
  const parseOr = (): boolean => {
    let value = parseAnd();
    while (peek() === 'OR') {
      at++;
      const right = parseAnd();
      value = value || right;
    }
    return value;
  };
  const parseAnd = (): boolean => {
    let value = parseAtom();
    while (peek() === 'AND') {
      at++;
      const right = parseAtom();
      value = value && right;
    }
    return value;
  };
  const parseAtom = (): boolean => {
    const token = tokens[at++];
    if (token === undefined) throw new SyntaxError('unexpected end');
    if (token === '(') {
      const value = parseOr();
      if (tokens[at++] !== ')') throw new SyntaxError('missing )');
      return value;
    }
    if (token === ')' || ['AND', 'OR', 'WITH'].includes(token.toUpperCase())) {
      throw new SyntaxError(`unexpected ${token}`);
    }
    if (peek() === 'WITH') at += 2;
    return allowed.has(token.replace(/\+$/, ''));
  };

  try {
    const value = parseOr();
    return at === tokens.length && value;
  } catch {
    return false;
  }
}
