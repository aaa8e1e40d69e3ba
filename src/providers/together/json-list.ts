/**
 * Together sends its whole event list on every poll: with a long history that is tens of MB of
 * JSON, of which only the items past our cursor are new. This reads such a body from its bytes
 * without decoding it to one string or turning the old items into objects: the bytes are checked
 * as JSON (a truncated or malformed body is still an error, to be retried), the list's items are
 * located, and only the items asked for are decoded and parsed.
 */

import {
  type Body,
  BodyTooLarge,
  type Headers,
  declaredLength,
  discard,
  megabytes,
} from '../../http/body.js';

/** Applied to each value parsed out of the body (the key scrub, when the body may spell the key). */
export type Transform = (value: unknown) => unknown;

/**
 * One buffer, grown as needed and reused for every body read as bytes: a long history's body is
 * tens of MB, and a fresh buffer per poll lingers until the garbage collector finds it. A lease
 * says whether the buffer still holds the body it was taken for.
 */
export class ReusedBody {
  private buffer = Buffer.alloc(0);
  private generation = 0;

  async read(stream: Body, headers: Headers, where: string): Promise<Buffer> {
    this.generation++;
    const declared = declaredLength(headers) ?? -1;
    const tooLarge = () => {
      discard(stream);
      return new BodyTooLarge(
        `${where}: the answer is more than ${megabytes(MAX_LIST_BODY)}, larger than any answer of a fine-tuning API; it was not read.`,
        200,
      );
    };
    if (declared > MAX_LIST_BODY) throw tooLarge();
    let filled = 0;
    for await (const chunk of stream) {
      const needed = filled + chunk.length;
      if (needed > MAX_LIST_BODY) throw tooLarge();
      if (needed > this.buffer.length) {
        // Grow to the declared length when it fits what came, else double; and an eighth more:
        // a list that grows by a few events a poll then fits the next body too, where an exact
        // fit would take a new buffer (and leave the old one for the collector) on every poll.
        const wanted = declared >= needed ? declared : this.buffer.length * 2;
        const grown = Buffer.allocUnsafe(
          Math.min(MAX_LIST_BODY, Math.ceil(Math.max(needed, wanted) * 1.125)),
        );
        this.buffer.copy(grown, 0, 0, filled);
        this.buffer = grown;
      }
      chunk.copy(this.buffer, filled);
      filled = needed;
    }
    return this.buffer.subarray(0, filled);
  }

  /** Lets the buffer go (a job of a set holds no large buffer between polls); leases end. */
  release(): void {
    this.generation++;
    this.buffer = Buffer.alloc(0);
  }

  /** True while the buffer still holds the last body read. */
  lease(): () => boolean {
    const generation = this.generation;
    return () => this.generation === generation;
  }
}

/**
 * A whole list sent on every poll is the one answer that grows with the job: Together's list of
 * 100,000 events is about 30 MB. Four times that is a broken server, not a long job.
 */
export const MAX_LIST_BODY = 128 * 1024 * 1024;

/**
 * A list as it was last read: how many items it had, and its last item (where it began, in
 * bytes after the list's `[`, and its bytes). A list that only grows at the end (Together's
 * events) comes back with the same bytes before its new items; finding that last item where it
 * was lets the next read skip the old items, tens of MB, instead of scanning them again.
 */
export interface KnownList {
  count: number;
  lastStart: number;
  last: Buffer;
}

/** The items of one JSON array, located in the body and parsed on demand. */
export class JsonListText {
  constructor(
    private readonly body: Buffer,
    /** Where the list's `[` is. */
    private readonly listStart: number,
    /** Start and end offset of each item from `first` on, in pairs. */
    private bounds: Uint32Array,
    private readonly transform: Transform | undefined,
    /** False once the buffer holds another body (see ReusedBody). */
    private readonly valid: () => boolean = () => true,
    /** Items before this one were skipped as known (see KnownList); they are located on demand. */
    private first = 0,
  ) {}

  get length(): number {
    return this.first + this.bounds.length / 2;
  }

  /** The item at `index`, parsed; undefined past the end. */
  at(index: number): unknown {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined;
    if (!this.valid()) throw new Error('a JsonListText was read after the next body replaced it');
    if (index < this.first) this.locateAll();
    const start = this.bounds[2 * (index - this.first)] as number;
    const end = this.bounds[2 * (index - this.first) + 1] as number;
    const item: unknown = JSON.parse(this.body.toString('utf8', start, end));
    return this.transform ? this.transform(item) : item;
  }

  /** What the next read of the same list may skip; undefined for an empty list. */
  known(): KnownList | undefined {
    const pairs = this.bounds.length / 2;
    if (pairs === 0) return undefined;
    const start = this.bounds[2 * pairs - 2] as number;
    const end = this.bounds[2 * pairs - 1] as number;
    return {
      count: this.length,
      lastStart: start - this.listStart,
      // A copy: the body's buffer is reused for the next one.
      last: Buffer.from(this.body.subarray(start, end)),
    };
  }

  /** Scans the skipped items too; they were not checked as JSON, so this can throw SyntaxError. */
  private locateAll(): void {
    const bounds: number[] = [];
    new Scanner(this.body).array(this.listStart, bounds);
    this.bounds = Uint32Array.from(bounds);
    this.first = 0;
  }
}

/**
 * JSON.parse for a UTF-8 body, except that when it is an object, the array under `key` (at the
 * top level) becomes a JsonListText. Throws SyntaxError, as JSON.parse does, on a body that is
 * not valid JSON; with `known`, the items it describes are skipped unchecked when their last one
 * is found where it was, byte for byte (they are never parsed unless asked for).
 *
 * The skip trusts that the items before that last one are as many as before. That holds for a
 * list that only grows at its end or changes items in place; it could miscount only if items
 * ahead of it were both removed and inserted, to the same byte, or if that last item recurred
 * at its old offset as another whole item. A match found instead inside a nested value or a
 * string leaves the rest of the body out of step, which is always a SyntaxError: then the body
 * is read again in full.
 */
export function parseWithListText(
  body: Buffer,
  key: string,
  transform?: Transform,
  valid?: () => boolean,
  known?: KnownList,
): unknown {
  if (known === undefined) return parse(body, key, transform, valid);
  try {
    return parse(body, key, transform, valid, known);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return parse(body, key, transform, valid);
  }
}

function parse(
  body: Buffer,
  key: string,
  transform?: Transform,
  valid?: () => boolean,
  known?: KnownList,
): unknown {
  const whole = (from: number) => {
    const value: unknown = JSON.parse(body.toString('utf8', from));
    return transform ? transform(value) : value;
  };
  const scanner = new Scanner(body);
  const bom = skipBom(body);
  let pos = scanner.skipSpace(bom);
  if (body[pos] !== OPEN_BRACE) return whole(bom);
  let list: { start: number; end: number; bounds: number[]; first: number } | null = null;
  pos = scanner.skipSpace(pos + 1);
  if (body[pos] === CLOSE_BRACE) {
    pos += 1;
  } else {
    for (;;) {
      const keyEnd = scanner.string(pos);
      const name = JSON.parse(body.toString('utf8', pos, keyEnd)) as string;
      pos = scanner.skipSpace(scanner.expect(scanner.skipSpace(keyEnd), COLON));
      if (name === key && body[pos] === OPEN_BRACKET) {
        const bounds: number[] = [];
        const knownEnd = known ? scanner.knownItem(pos, known) : -1;
        const end = knownEnd < 0 ? scanner.array(pos, bounds) : scanner.arrayFrom(knownEnd, bounds);
        if (knownEnd >= 0) bounds.unshift(pos + (known as KnownList).lastStart, knownEnd);
        list = { start: pos, end, bounds, first: knownEnd < 0 ? 0 : (known as KnownList).count - 1 };
        pos = end;
      } else {
        // A later member of the same name wins in JSON.parse; so it does here.
        if (name === key) list = null;
        pos = scanner.value(pos);
      }
      pos = scanner.skipSpace(pos);
      if (body[pos] !== COMMA) break;
      pos = scanner.skipSpace(pos + 1);
    }
    pos = scanner.expect(pos, CLOSE_BRACE);
  }
  pos = scanner.skipSpace(pos);
  if (pos !== body.length) throw scanner.error(pos);
  if (list === null) return whole(bom);
  // Everything but the list is small: parse it whole, with an empty list in its place.
  const parsed: unknown = JSON.parse(
    `${body.toString('utf8', bom, list.start)}[]${body.toString('utf8', list.end)}`,
  );
  const rest = (transform ? transform(parsed) : parsed) as Record<string, unknown>;
  rest[key] = new JsonListText(body, list.start, Uint32Array.from(list.bounds), transform, valid, list.first);
  return rest;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
/** Characters that may follow a backslash: " \ / b f n r t (u is handled on its own). */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;
const isHex = (c: number | undefined) =>
  c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));

/** JSON.parse skips a byte-order mark when it decodes; so do we. */
function skipBom(body: Buffer): number {
  return body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? 3 : 0;
}

/**
 * A validating JSON scanner over UTF-8 bytes that allocates nothing: each method returns where
 * its value ends. Multi-byte UTF-8 sequences never contain bytes below 0x80, so structure can be
 * read byte by byte.
 */
class Scanner {
  constructor(private readonly body: Buffer) {}

  error(pos: number): SyntaxError {
    return new SyntaxError(
      pos >= this.body.length ? 'Unexpected end of JSON input' : `Unexpected byte in JSON at position ${pos}`,
    );
  }

  skipSpace(pos: number): number {
    let i = pos;
    for (;;) {
      const c = this.body[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
      i++;
    }
  }

  expect(pos: number, byte: number): number {
    if (this.body[pos] !== byte) throw this.error(pos);
    return pos + 1;
  }

  /**
   * Where the value at `pos` ends. Containers are tracked on a stack of their own rather than by
   * recursion: a provider can nest values thousands of levels deep.
   */
  value(pos: number): number {
    const open: number[] = [];
    let i = pos;
    for (;;) {
      const c = this.body[i];
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
        i = this.skipSpace(i + 1);
        if (this.body[i] !== close) {
          open.push(close);
          if (close === CLOSE_BRACE) i = this.memberValue(i);
          continue;
        }
        i += 1;
      } else {
        i = this.scalar(i);
      }
      // A value ended at i: go on in the container around it, closing those that end here.
      for (;;) {
        const close = open.at(-1);
        if (close === undefined) return i;
        i = this.skipSpace(i);
        if (this.body[i] === COMMA) {
          i = this.skipSpace(i + 1);
          if (close === CLOSE_BRACE) i = this.memberValue(i);
          break;
        }
        i = this.expect(i, close);
        open.pop();
      }
    }
  }

  /** From a member's name to where its value starts. */
  private memberValue(pos: number): number {
    return this.skipSpace(this.expect(this.skipSpace(this.string(pos)), COLON));
  }

  private scalar(pos: number): number {
    const c = this.body[pos];
    if (c === QUOTE) return this.string(pos);
    if (c === 0x74) return this.literal(pos, 'true');
    if (c === 0x66) return this.literal(pos, 'false');
    if (c === 0x6e) return this.literal(pos, 'null');
    return this.number(pos);
  }

  string(pos: number): number {
    if (this.body[pos] !== QUOTE) throw this.error(pos);
    let i = pos + 1;
    for (;;) {
      const c = this.body[i];
      if (c === undefined || c < 0x20) throw this.error(i);
      if (c === QUOTE) return i + 1;
      if (c !== BACKSLASH) {
        i++;
        continue;
      }
      const escaped = this.body[i + 1];
      if (escaped === 0x75) {
        for (let h = i + 2; h < i + 6; h++) if (!isHex(this.body[h])) throw this.error(h);
        i += 6;
      } else if (escaped !== undefined && SIMPLE_ESCAPES.has(escaped)) {
        i += 2;
      } else {
        throw this.error(i + 1);
      }
    }
  }

  /** Checks an array; with `bounds`, records where each item starts and ends. */
  array(pos: number, bounds?: number[]): number {
    const i = this.skipSpace(pos + 1);
    if (this.body[i] === CLOSE_BRACKET) return i + 1;
    return this.items(i, bounds);
  }

  /** The rest of an array after the item ending at `pos`. */
  arrayFrom(pos: number, bounds: number[]): number {
    const i = this.skipSpace(pos);
    if (this.body[i] !== COMMA) return this.expect(i, CLOSE_BRACKET);
    return this.items(this.skipSpace(i + 1), bounds);
  }

  private items(pos: number, bounds?: number[]): number {
    let i = pos;
    for (;;) {
      const end = this.value(i);
      bounds?.push(i, end);
      i = this.skipSpace(end);
      if (this.body[i] !== COMMA) return this.expect(i, CLOSE_BRACKET);
      i = this.skipSpace(i + 1);
    }
  }

  /**
   * Where the known last item of the array at `pos` ends, when it is found where it was, byte for
   * byte, as a whole item (a `[` or `,` before it, a `,` or `]` after it); else -1.
   */
  knownItem(pos: number, known: KnownList): number {
    const start = pos + known.lastStart;
    const end = start + known.last.length;
    if (known.count < 1 || known.last.length === 0 || end > this.body.length) return -1;
    if (this.body.compare(known.last, 0, known.last.length, start, end) !== 0) return -1;
    let before = start - 1;
    while (before > pos && isSpace(this.body[before])) before--;
    if (this.body[before] !== (known.count === 1 ? OPEN_BRACKET : COMMA)) return -1;
    if (known.count === 1 && before !== pos) return -1;
    const after = this.body[this.skipSpace(end)];
    return after === COMMA || after === CLOSE_BRACKET ? end : -1;
  }

  literal(pos: number, word: string): number {
    for (let k = 0; k < word.length; k++) {
      if (this.body[pos + k] !== word.charCodeAt(k)) throw this.error(pos + k);
    }
    return pos + word.length;
  }

  /** -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)? */
  number(pos: number): number {
    let i = pos;
    if (this.body[i] === MINUS) i++;
    if (this.body[i] === 0x30) i++;
    else if (isDigit(this.body[i])) while (isDigit(this.body[i])) i++;
    else throw this.error(i);
    if (this.body[i] === DOT) {
      i++;
      if (!isDigit(this.body[i])) throw this.error(i);
      while (isDigit(this.body[i])) i++;
    }
    if (this.body[i] === 0x65 || this.body[i] === 0x45) {
      i++;
      if (this.body[i] === PLUS || this.body[i] === MINUS) i++;
      if (!isDigit(this.body[i])) throw this.error(i);
      while (isDigit(this.body[i])) i++;
    }
    return i;
  }
}
