/**
 * Azure OpenAI: OpenAI's fine-tuning API on a resource of one's own. The API root is the
 * resource's, and required: `…/openai/v1` (the v1 API) or `…/openai` (the dated API, where every
 * request carries `api-version`). The key goes in an `api-key` header, never as Bearer.
 */
import { Input } from '../constants.js';
import { keyHeader } from '../http/auth.js';
import type { StatusTable } from '../status.js';
import { providerMessage } from './error-body.js';
import { anyJobId, keyAuth, keyRefused, withoutTrailingSlash } from './key-platforms.js';
import { OPENAI_JOB_LIST, OPENAI_STATUSES, OpenAiCompatibleProvider } from './openai-compatible.js';
import type { Platform, Problem, SettingsContext } from './provider.js';

/** The newest generally available dated version (learn.microsoft.com, API version lifecycle). */
export const AZURE_API_VERSION = '2024-10-21';
const EXAMPLE = 'https://my-resource.openai.azure.com/openai/v1';

/** OpenAI's statuses and Azure's own: a job can be paused and resumed. */
const AZURE_STATUSES: StatusTable = {
  ...OPENAI_STATUSES,
  pausing: 'running',
  resuming: 'running',
};

/**
 * The resource's API root. A path that ends in `/v1` is the v1 API and needs no version; any other
 * is the dated API, which gets `api-version` on every request unless base-url's query names one.
 */
export function azureBaseUrl(given: URL | null, { vocabulary }: SettingsContext): string | Problem {
  const input = vocabulary.name(Input.BaseUrl);
  if (given === null)
    return {
      problem: `${vocabulary.subject(Input.BaseUrl)} is required for azure-openai: the API root of your Azure OpenAI resource, e.g. \`${EXAMPLE}\` (the v1 API) or \`https://my-resource.openai.azure.com/openai\` (the dated API, \`api-version\` ${AZURE_API_VERSION} unless its query names another).`,
    };
  const unknown = [...given.searchParams.keys()].filter((name) => name !== 'api-version');
  if (unknown.length > 0)
    return {
      problem: `${vocabulary.subject(Input.BaseUrl)} may carry only \`api-version\` in its query for azure-openai, not ${unknown.map((name) => `\`${name}\``).join(', ')}; the key goes in ${vocabulary.name(Input.ApiKey)}.`,
    };
  const url = new URL(given.href);
  url.pathname = withoutTrailingSlash(url.pathname);
  const v1 = /\/v1$/.test(url.pathname);
  if (!v1 && !url.searchParams.has('api-version')) url.searchParams.set('api-version', AZURE_API_VERSION);
  if (url.searchParams.get('api-version') === '')
    return { problem: `${input}'s \`api-version\` is empty: name a version, e.g. \`${AZURE_API_VERSION}\`.` };
  return withoutTrailingSlash(url.href);
}

export const azureOpenai: Platform = {
  name: 'azure-openai',
  displayName: 'Azure OpenAI',
  jobIdForm: '`ftjob-…`',
  keyVariable: 'AZURE_OPENAI_API_KEY',
  defaultBaseUrl: null,
  statuses: AZURE_STATUSES,
  checkJobId: anyJobId,
  resolveBaseUrl: azureBaseUrl,
  auth: keyAuth((key) => keyHeader('api-key', key)),
  credentialsRefused: keyRefused('Azure OpenAI', 'AZURE_OPENAI_API_KEY'),
  // `{error: {code, message}}` as OpenAI's, or a flat `{message}` from Entra-fronted endpoints.
  errorDetail: providerMessage,
  // The Foundry portal's URL for a job is not documented: no link rather than a guessed one.
  dashboardUrl: () => null,
  create: (ref, client) =>
    new OpenAiCompatibleProvider(ref, client, {
      statuses: AZURE_STATUSES,
      // Microsoft's tutorial output lists events newest first, as OpenAI does.
      expectedOrder: 'newest-first',
      checkpointAsModel: false,
    }),
  jobList: OPENAI_JOB_LIST,
};
