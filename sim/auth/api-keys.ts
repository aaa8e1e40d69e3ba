/**
 * Checks for the platforms that take a static API key: as a Bearer token (Together, OpenAI, Nebius,
 * Fireworks) or in Azure's own `api-key` header.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { unauthorized } from '../error-bodies.js';
import type { ProviderName, Reply } from '../types.js';

/** The token of an `Authorization: Bearer …` header; undefined when there is none. */
export function bearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(.*)$/i.exec(header);
  return match ? (match[1] ?? '') : header;
}

/** undefined when the Bearer token is the key; else the platform's 401. */
export function checkBearerKey(
  provider: ProviderName,
  headers: IncomingHttpHeaders,
  apiKey: string,
): Reply | undefined {
  const sentKey = bearer(headers.authorization);
  return sentKey === apiKey ? undefined : unauthorized(provider, sentKey);
}

/**
 * Azure wants the key in `api-key`. `Authorization: Bearer …` (an Entra ID token, or the key sent
 * the OpenAI way) is refused like a wrong key: the simulator issues no Entra tokens, and the
 * action is expected to use the documented header.
 */
export function checkAzureKey(headers: IncomingHttpHeaders, apiKey: string): Reply | undefined {
  const sent = headers['api-key'];
  const sentKey = Array.isArray(sent) ? sent[0] : sent;
  return sentKey === apiKey ? undefined : unauthorized('azure-openai', sentKey);
}
