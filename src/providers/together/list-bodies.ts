import type * as z from 'zod/mini';
import { type BodyDecoder, validated } from '../../http/http-client.js';
import { JsonListText, type KnownList, parseWithListText, ReusedBody } from './json-list.js';

/**
 * Bodies whose one long list is read lazily (json-list.ts): Together sends its whole event list
 * on every poll. The bodies share one buffer, and each list remembers its end as last read, so
 * the next read skips the items it already knows.
 */
export class ListBodies {
  private readonly buffer = new ReusedBody();
  private readonly known = new Map<string, KnownList>();

  /** Lets the shared buffer go until the next body; what each list knows is kept. */
  release(): void {
    this.buffer.release();
  }

  /**
   * A decoder for a body whose array under `key` arrives as a JsonListText; `id` names the list
   * from one poll to the next (the job's embedded list and the events endpoint's are two).
   */
  decoder<T>(id: string, key: string, schema: z.ZodMiniType<T>): BodyDecoder<T> {
    return {
      read: (body, headers, where) => this.buffer.read(body, headers, where),
      decode: (bytes, clean) => {
        const json = parseWithListText(bytes, key, clean, this.buffer.lease(), this.known.get(id));
        const value = validated(json, schema);
        const items = (json as Record<string, unknown> | null)?.[key];
        const known = items instanceof JsonListText ? items.known() : undefined;
        if (known) this.known.set(id, known);
        else this.known.delete(id);
        return value;
      },
    };
  }
}
