/**
 * parseWithListText, the reader of Together's whole event list, against JSON.parse: the same
 * value for any JSON, the same refusal of anything that is not JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonListText, parseWithListText } from '../../src/http/json-list.js';

/** The parsed value with the lazy list turned back into an array, for comparison with JSON.parse. */
function materialise(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null || !(key in value)) return value;
  const list = (value as Record<string, unknown>)[key];
  if (!(list instanceof JsonListText)) return value;
  return { ...value, [key]: Array.from({ length: list.length }, (_, i) => list.at(i)) };
}

const parse = (text: string, key = 'events') => materialise(parseWithListText(Buffer.from(text), key), key);
const outcome = (run: () => unknown) => {
  try {
    return { value: run() };
  } catch (error) {
    return { error: error instanceof SyntaxError };
  }
};

describe('parseWithListText', () => {
  it('gives what JSON.parse gives for any JSON, lists of any shape included', () => {
    const body = fc.record(
      { events: fc.array(fc.jsonValue(), { maxLength: 8 }), status: fc.jsonValue() },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(body, fc.jsonValue()), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(parse(text)).toStrictEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses at once exactly what JSON.parse refuses: truncated, mangled, or not JSON at all', () => {
    const damage = fc.constantFrom('', '"', '{', '[', ',', ']', '}', '\\', 'x', 'E', '\u0001', '-', '.', '0');
    const mangled = fc
      .tuple(fc.json(), fc.nat(), fc.nat(), damage, fc.boolean())
      .map(([json, cut, at, piece, replace]) => {
        const text = `{"events":[${json},true,null,-1.5e3,${json}],"n":${json}}`;
        const position = at % text.length;
        const changed = text.slice(0, position) + piece + text.slice(position + (replace ? 1 : 0));
        return changed.slice(0, changed.length - (cut % 3));
      });
    fc.assert(
      fc.property(fc.oneof(mangled, fc.string()), (text) => {
        const expected = outcome(() => JSON.parse(text));
        // Checked when read, not when an item is asked for: the old items are never parsed.
        const got = outcome(() => parseWithListText(Buffer.from(text), 'events'));
        if ('error' in expected) expect(got).toEqual({ error: true });
        else expect(materialise(got.value, 'events')).toStrictEqual(expected.value);
      }),
      { numRuns: 5000 },
    );
  });

  it('parses only the items asked for', () => {
    const list = (
      parseWithListText(Buffer.from('{"events":[{"a":1},{"b":2}]}'), 'events') as { events: JsonListText }
    ).events;
    expect(list).toBeInstanceOf(JsonListText);
    expect(list.length).toBe(2);
    expect(list.at(1)).toEqual({ b: 2 });
    expect(list.at(2)).toBeUndefined();
  });
});
