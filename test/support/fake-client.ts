import type { z } from 'zod';
import type { ApiClient, CallOptions } from '../../src/http/client.js';

export type Serve = (path: string, query: CallOptions['query']) => unknown;

/**
 * An ApiClient that answers from memory: the provider adapters run unchanged, without HTTP, so
 * property tests can try thousands of page and poll interleavings. Bodies go through JSON and the
 * caller's schema, as real ones do.
 */
export function memoryClient(serve: Serve): ApiClient {
  const answer = <T>(path: string, schema: z.ZodType<T>, call: CallOptions): Promise<T> =>
    Promise.resolve(schema.parse(JSON.parse(JSON.stringify(serve(path, call.query)))));
  const client = { get: answer, post: answer, close: async () => undefined };
  return client as unknown as ApiClient;
}
