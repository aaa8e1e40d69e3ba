/*
 * Walks over parsed JSON without recursion: a provider can send values nested thousands of
 * levels deep, and a recursive walk (JSON.stringify, a JSON.parse reviver) overflows the stack
 * on them. Both walks here keep their own stack.
 */

/** What a value nested deeper than a cut is replaced with. */
export const cutMarker = (depth: number) => `[cut: nested deeper than ${depth} levels]`;

/** Whether a parsed JSON value nests deeper than `maxDepth` (a scalar is 0 deep, `{}` 1). */
export function deeperThan(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * The value itself when it is at most `maxDepth` deep, else a copy in which every object or
 * array at depth `maxDepth` is replaced by cutMarker(maxDepth): the shallow part stays readable.
 */
export function cutDeeperThan<T>(value: T, maxDepth: number): T {
  if (!deeperThan(value, maxDepth)) return value;
  const copy = (source: object): Record<string, unknown> | unknown[] => (Array.isArray(source) ? [] : {});
  const root = copy(value as object);
  const stack: [object, Record<string, unknown> | unknown[], number][] = [[value as object, root, 1]];
  while (stack.length > 0) {
    const [source, target, depth] = stack.pop() as [object, Record<string, unknown> | unknown[], number];
    for (const [key, child] of Object.entries(source)) {
      let copied: unknown = child;
      if (typeof child === 'object' && child !== null) {
        if (depth >= maxDepth) {
          copied = cutMarker(maxDepth);
        } else {
          copied = copy(child);
          stack.push([child, copied as Record<string, unknown> | unknown[], depth + 1]);
        }
      }
      setOwn(target, key, copied);
    }
  }
  return root as T;
}

/**
 * Applies `scrub` to every string of a parsed JSON value, object keys included, in place, and
 * returns the value (a string is returned scrubbed). For secrets a provider may echo anywhere.
 */
export function scrubStrings<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === 'string') return scrub(value) as T;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current !== 'object' || current === null) continue;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) {
        const item: unknown = current[i];
        if (typeof item === 'string') current[i] = scrub(item);
        else stack.push(item);
      }
      continue;
    }
    const record = current as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      let item = record[key];
      if (typeof item === 'string') item = scrub(item);
      else stack.push(item);
      const name = scrub(key);
      if (name !== key) delete record[key];
      setOwn(record, name, item);
    }
  }
  return value;
}

/** Sets an own, enumerable property, even one named `__proto__`, as JSON.parse would. */
function setOwn(target: Record<string, unknown> | unknown[], key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
