/** The sentences a run prints about itself: its start, its retries, and the errors that end it. */
import { Input } from '../constants.js';
import { ApiError } from '../errors.js';
import type { Exchange, RetryNotice, TransportWords, Unreachable } from '../http/undici-client.js';
import type { JobRef } from '../model.js';
import type { Platform } from '../providers/index.js';
import { formatDuration } from '../report/safe-text.js';
import type { Settings } from '../settings.js';
import type { Vocabulary } from '../vocabulary.js';
import { DEFAULT_POLL_INTERVAL_MS } from './poll-pace.js';

/** What to tell the user when the transport meets an answer or a network that ends the step. */
export function transportWords(platform: Platform, ref: JobRef, vocabulary: Vocabulary): TransportWords {
  const label = platform.displayName;
  const baseUrl = vocabulary.name(Input.BaseUrl);
  const at = `Could not reach ${label} at ${ref.baseUrl}`;
  return {
    credentialsRefused: (where) => platform.credentialsRefused(where, ref, vocabulary),
    notFound: (where) =>
      `Job ${ref.jobId} was not found on ${label} at ${ref.baseUrl} (${where}). Check ${vocabulary.name(Input.JobId)}, ${vocabulary.name(Input.Provider)} and ${baseUrl}.${versionHint(platform, ref.baseUrl)}`,
    refused: (where) => `${label} refused the request (${where}).`,
    redirected: (where, location) =>
      `${label} answered ${where}${location ? `, pointing to ${location}` : ' with a redirect that says not where to'}. Redirects are not followed: set ${baseUrl} to the API root itself.`,
    unreachable: (reason) => unreachable(reason, at, baseUrl, vocabulary),
  };
}

function unreachable(reason: Unreachable, at: string, baseUrl: string, vocabulary: Vocabulary): string {
  switch (reason.kind) {
    case 'unresolved':
      return `${at}: the host name ${reason.host} does not resolve (${reason.detail}). Check ${baseUrl} (and, on a self-hosted runner, its DNS and proxy settings).`;
    case 'certificate':
      return `${at}: its TLS certificate is not trusted (${reason.detail}). If a private certificate authority signs it (a company proxy or gateway), point NODE_EXTRA_CA_CERTS at that authority's PEM file in the step's env; otherwise check ${baseUrl}.`;
    case 'tls':
      return `${at}: the TLS handshake failed (${reason.detail}). Check ${baseUrl}: is it https:// for a server that speaks plain http, or the wrong port?`;
    case 'refused':
      return `${at}: every connection was refused for ${reason.seconds} s (${reason.detail}). Check ${baseUrl} (host and port).`;
    case 'unsendable':
      return `The ${reason.header} header cannot be sent: it has ${reason.codePoint} at character ${reason.position}. Check ${vocabulary.name(Input.ApiKey)}: copy the key again, without spaces, line breaks or invisible characters.`;
    case 'other':
      return `${at}: ${reason.detail}. Check ${baseUrl}.`;
  }
}

/** A base URL without a version segment, for a platform whose API root has one: the likely cause of a 404. */
function versionHint(platform: Platform, baseUrl: string): string {
  const version = /\/(v\d+[a-z0-9]*)\/?$/.exec(platform.defaultBaseUrl ?? '')?.[1];
  if (!version || /\/v\d+[a-z0-9]*(\/|$)/.test(new URL(baseUrl).pathname)) return '';
  return ` The base URL has no version: the API root is usually ${baseUrl.replace(/\/+$/, '')}/${version}.`;
}

export function describeStart(settings: Settings, platform: Platform): string {
  const mode = settings.wait
    ? `polling every ${formatDuration(settings.pollIntervalMs)}${settings.pollIntervalMs === DEFAULT_POLL_INTERVAL_MS ? ' (adaptive: slower while queued, sooner near the end)' : ''}${settings.timeoutMs === null ? '' : `, for at most ${formatDuration(settings.timeoutMs)}`}`
    : 'checking once';
  return `Watching ${platform.displayName} job ${settings.jobId} at ${settings.baseUrl}: ${mode}.`;
}

export function describeStartOfSet(settings: Settings, platform: Platform): string {
  const mode = settings.wait
    ? `polling together every ${formatDuration(settings.pollIntervalMs)}${settings.timeoutMs === null ? '' : `, for at most ${formatDuration(settings.timeoutMs)}`}`
    : 'checking each once';
  return `Watching ${settings.jobIds.length} ${platform.displayName} jobs at ${settings.baseUrl}: ${settings.jobIds.join(', ')}; ${mode}.`;
}

export function describeRetry(notice: RetryNotice): string {
  return `${notice.reason}; retrying in ${formatDuration(notice.delayMs)} (attempt ${notice.attempt + 1})`;
}

export function describeEventsError(error: Error, final: boolean, lasting: boolean): string {
  const what = `The job's ${final ? 'last ' : ''}events could not be read (${detailOf(error)})`;
  if (final) return `${what}; the outcome comes from the job's status.`;
  if (lasting) return `${what}; going on without them: the outcome comes from the job's status.`;
  return `${what}; trying again at the next poll.`;
}

/** The request and the answer, without advice meant for the job itself (a 404 of a sub-route is not a missing job). */
export function detailOf(error: Error): string {
  return error instanceof ApiError ? (error.detail ?? error.message) : error.message;
}

/** One request for the runner's debug log: `GET /path → 200 in 84 ms; done`. */
export function describeExchange(exchange: Exchange): string {
  const answer = exchange.status === null ? 'no answer' : String(exchange.status);
  const why = exchange.error ? ` (${exchange.error.slice(0, 300)})` : '';
  return `${exchange.method} ${exchange.target} → ${answer}${why} in ${exchange.ms} ms; ${exchange.next}`;
}
