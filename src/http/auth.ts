/** How a request proves who sends it: a key in a header, a bearer token, a signature. */

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** The headers so far; a signer signs these (and adds its own). */
  headers: Record<string, string>;
  body: string | undefined;
}

export interface AuthStrategy {
  /** The headers that authorise this request: fixed, a token (refreshed when due), or a signature. */
  headers(request: OutgoingRequest): Record<string, string> | Promise<Record<string, string>>;
  /** Values that must never come back out: scrubbed from every answer and message. */
  secrets(): readonly string[];
}

/** `Authorization: Bearer <key>` (Together, Nebius, OpenAI, Fireworks). */
export function bearerKey(key: string): AuthStrategy {
  const value = { authorization: `Bearer ${key}` };
  return { headers: () => value, secrets: () => [key] };
}

/** The key in a header of its own (Azure OpenAI's `api-key`). */
export function keyHeader(name: string, key: string): AuthStrategy {
  const value = { [name]: key };
  return { headers: () => value, secrets: () => [key] };
}
