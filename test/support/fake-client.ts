import type { BodyDecoder, HttpClient, Query, RequestOptions } from '../../src/http/http-client.js';

export type Serve = (path: string, query: Query | undefined) => unknown;

/**
 * An HttpClient that answers from memory: the provider adapters run unchanged, without HTTP, so
 * property tests can try thousands of page and poll interleavings. Bodies go to the adapters'
 * own decoders as JSON bytes, as real ones do (Together's list reader included).
 */
export function memoryClient(serve: Serve): HttpClient & { requests: string[] } {
  const requests: string[] = [];
  const answer = <T>(path: string, decoder: BodyDecoder<T>, options: RequestOptions): T => {
    requests.push(path);
    return decoder.decode(Buffer.from(JSON.stringify(serve(path, options.query))), undefined);
  };
  return {
    requests,
    get: async (path, decoder, options) => answer(path, decoder, options),
    post: async (path, decoder, options) => {
      try {
        return answer(path, decoder, options);
      } catch {
        return null;
      }
    },
    close: async () => undefined,
  };
}
