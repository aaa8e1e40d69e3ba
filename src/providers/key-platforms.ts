/** What the platforms that take an API key share: a fixed API root, a key in a header. */
import { Input } from '../constants.js';
import type { AuthStrategy } from '../http/auth.js';
import type { JobRef } from '../model.js';
import type { Settings } from '../settings.js';
import type { Vocabulary } from '../vocabulary.js';
import type { Problem, SettingsContext } from './provider.js';

/** `base-url` as given (it must be an API root: no query), else the platform's own. */
export function fixedBaseUrl(defaultUrl: string) {
  return (given: URL | null, { vocabulary }: SettingsContext): string | Problem => {
    if (given === null) return defaultUrl;
    if (given.search)
      return {
        problem: `${vocabulary.subject(Input.BaseUrl)} must be the API root only, without a query, e.g. \`${defaultUrl}\`.`,
      };
    return withoutTrailingSlash(given.href);
  };
}

export const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/** Any id the input accepts (no spaces or control characters). */
export const anyJobId = (): null => null;

/** The key, checked by the settings, made into the platform's way of sending it. */
export function keyAuth(make: (key: string) => AuthStrategy) {
  return async (settings: Settings): Promise<AuthStrategy> => make(settings.apiKey ?? '');
}

/** A refused key: which key was sent, and where to set another. */
export function keyRefused(displayName: string, variable: string) {
  return (where: string, ref: JobRef, vocabulary: Vocabulary): string =>
    `${displayName} rejected the API key (${where}). Check ${vocabulary.keySources(variable)}: it must be a current ${displayName} key with access to job ${ref.jobId}.`;
}
