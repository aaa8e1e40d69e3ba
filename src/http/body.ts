import { ApiError } from '../errors.js';

/** No answer of a fine-tuning API comes near this; a server that sends more is broken. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Error bodies are read this far for their message; the rest is left unread. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** A body larger than any answer of the API: refused without reading it again. */
export class BodyTooLarge extends ApiError {
  override name = 'BodyTooLarge';
}

export type Headers = Record<string, string | string[] | undefined>;

export interface Body extends AsyncIterable<Buffer> {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Drops a body unread. Destroying a stream makes it emit an error, which no one needs to see. */
export function discard(body: Body): void {
  body.on('error', () => undefined);
  body.destroy();
}

export const headerOf = (headers: Headers, name: string): string | undefined => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/** Bytes the server says the body has, when it says so usably. */
export function declaredLength(headers: Headers): number | undefined {
  const length = Number(headerOf(headers, 'content-length'));
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** Megabytes, for messages. */
export const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/**
 * The whole body as bytes, refused once it passes `maxBytes` (before reading, when its
 * Content-Length says so). `where` names the request in the message.
 */
export async function readCapped(
  body: Body,
  headers: Headers,
  where: string,
  maxBytes = MAX_BODY_BYTES,
): Promise<Buffer> {
  const tooLarge = () =>
    new BodyTooLarge(
      `${where}: the answer is more than ${megabytes(maxBytes)}, larger than any answer of a fine-tuning API; it was not read.`,
      200,
    );
  if ((declaredLength(headers) ?? 0) > maxBytes) {
    discard(body);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      discard(body);
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

/** The start of an error body, enough for its message; the rest is dropped unread. */
export async function readErrorText(body: Body): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= MAX_ERROR_BODY_BYTES) {
      discard(body);
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString('utf8');
}

/**
 * Requests ask for `Accept-Encoding: identity`; a server that compresses anyway is named, so
 * its answer is not mistaken for broken JSON. Null when the body is plain.
 */
export function unexpectedEncoding(headers: Headers): string | null {
  const encoding = headerOf(headers, 'content-encoding')?.trim().toLowerCase();
  return encoding && encoding !== 'identity' ? encoding : null;
}
