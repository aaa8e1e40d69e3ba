/**
 * parseWithListText, the reader of Together's whole event list, against JSON.parse: the same
 * value for any JSON, the same refusal of anything that is not JSON.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonListText, parseWithListText } from '../../src/providers/together/json-list.js';

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

  const item = fc.oneof(fc.jsonValue(), fc.record({ message: fc.string(), step: fc.integer() }));

  /** Reads `before`, then `after` told what `before` held: it must give what JSON.parse gives. */
  function readsAfter(before: unknown[], after: unknown[], statuses: [unknown, unknown], indent: number) {
    const first = JSON.stringify({ events: before, status: statuses[0] }, null, indent);
    const list = (parseWithListText(Buffer.from(first), 'events') as { events: JsonListText }).events;
    const second = JSON.stringify({ events: after, status: statuses[1] }, null, indent);
    const read = () => parseWithListText(Buffer.from(second), 'events', undefined, undefined, list.known());
    // Every item, old ones included (read on demand), and the other members.
    expect(materialise(read(), 'events')).toStrictEqual(JSON.parse(second));
    // The newest item first, as a poll asks: that must not need the skipped ones.
    const fresh = read() as { events: JsonListText };
    expect(fresh.events.at(after.length - 1)).toStrictEqual(
      (JSON.parse(second) as { events: unknown[] }).events.at(-1),
    );
  }

  it('gives what JSON.parse gives when told what the list held before it grew, for any items', () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 8 }),
        fc.array(item, { maxLength: 4 }),
        fc.tuple(fc.jsonValue(), fc.jsonValue()),
        fc.constantFrom(0, 2),
        (before, added, statuses, indent) => readsAfter(before, [...before, ...added], statuses, indent),
      ),
      { numRuns: 1000 },
    );
  });

  it('gives what JSON.parse gives when told what a list of distinct items held before it changed', () => {
    // Distinct, as events are (each has its own id and time): reordered, cut and grown at either end.
    const distinct = fc.uniqueArray(item, { maxLength: 12, selector: (value) => JSON.stringify(value) });
    fc.assert(
      fc.property(
        distinct,
        fc.nat(),
        fc.nat(),
        fc.constantFrom('grow', 'prepend', 'drop first', 'reverse'),
        fc.tuple(fc.jsonValue(), fc.jsonValue()),
        fc.constantFrom(0, 2),
        (items, a, b, change, statuses, indent) => {
          const cut = items.length === 0 ? 0 : a % items.length;
          const before = items.slice(0, cut + (b % (items.length - cut + 1)));
          const others = items.filter((value) => !before.includes(value));
          const after =
            change === 'grow'
              ? [...before, ...others]
              : change === 'prepend'
                ? [...others, ...before]
                : change === 'drop first'
                  ? [...before.slice(1), ...others]
                  : [...before].reverse();
          readsAfter(before, after, statuses, indent);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads in full when the known item turns up at its old offset inside another item', () => {
    // [10,0] is read; the 0 at offset 4 of the list is then inside an array, or a string.
    readsAfter([10, 0], [[1, 0], 10, 0], [null, null], 0);
    readsAfter([10, 0], ['a,0]', 10, 0], [null, null], 0);
  });

  it('skips known items unchecked, and only those: damage anywhere after them is refused', () => {
    const before = [{ message: 'a' }, { message: 'b', step: 1 }, { message: 'c' }];
    const text = JSON.stringify({ events: [...before, { message: 'd' }], n: 1 });
    const known = (
      parseWithListText(Buffer.from(JSON.stringify({ events: before, n: 0 })), 'events') as {
        events: JsonListText;
      }
    ).events.known();
    const lastKnownEnds = text.indexOf('{"message":"c"}') + '{"message":"c"}'.length;
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom('', '"', '{', ']', '}', '\\', 'x'), (at, piece) => {
        const position = lastKnownEnds + (at % (text.length - lastKnownEnds));
        const changed = text.slice(0, position) + piece + text.slice(position + 1);
        const expected = outcome(() => JSON.parse(changed));
        const got = outcome(() =>
          parseWithListText(Buffer.from(changed), 'events', undefined, undefined, known),
        );
        if ('error' in expected) expect(got).toEqual({ error: true });
        else expect(materialise(got.value, 'events')).toStrictEqual(expected.value);
      }),
      { numRuns: 2000 },
    );
    // Damage inside the skipped items is found when they are read, as a SyntaxError.
    const damaged = text.replace('{"message":"a"}', '{"message":"a"]');
    const list = (
      parseWithListText(Buffer.from(damaged), 'events', undefined, undefined, known) as {
        events: JsonListText;
      }
    ).events;
    expect(list.at(3)).toEqual({ message: 'd' });
    expect(() => list.at(0)).toThrow(SyntaxError);
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
