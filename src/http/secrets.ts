/*
 * Providers echo requests in error bodies and events; nothing they send may carry a secret
 * further. Raw text is scrubbed byte for byte; a body that may spell a secret in JSON escapes
 * (`\u0073k-…`, `\/`) is scrubbed again, value by value and name by name, once parsed.
 */
import { scrubStrings } from '../json-walk.js';

const MASK = '***';
/** Shorter values would mask half the log (and no real key is that short). */
const MIN_SECRET = 4;

export class SecretScrubber {
  constructor(private readonly secrets: () => readonly string[]) {}

  private current(): string[] {
    return this.secrets().filter((secret) => secret.length >= MIN_SECRET);
  }

  text = (text: string): string => {
    let out = text;
    for (const secret of this.current()) if (out.includes(secret)) out = out.replaceAll(secret, MASK);
    return out;
  };

  /** The bytes, or a copy with each secret replaced, when one is there. */
  bytes(body: Buffer): Buffer {
    let out = body;
    for (const secret of this.current()) {
      const needle = Buffer.from(secret);
      if (out.indexOf(needle) < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, from)) {
        parts.push(out.subarray(from, at), Buffer.from(MASK));
        from = at + needle.length;
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
    return out;
  }

  /**
   * A cleaner for parsed values when the raw body may spell a secret in escapes: `\u` and `\/`
   * for any secret, any backslash for one with characters JSON must escape. Undefined when it
   * cannot, so most bodies are not walked at all.
   */
  cleanerFor(body: Buffer | string): ((value: unknown) => unknown) | undefined {
    const secrets = this.current();
    const escaped = secrets.some((secret) =>
      /["\\\u0000-\u001f]/.test(secret) ? body.includes('\\') : body.includes('\\u') || body.includes('\\/'),
    );
    return escaped ? (value) => scrubStrings(value, this.text) : undefined;
  }
}
