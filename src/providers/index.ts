import { DEFAULT_BASE_URLS } from '../constants.js';
import type { ApiClient } from '../http/client.js';
import type { JobRef } from '../model.js';
import { OpenAiCompatibleProvider } from './openai-compatible.js';
import type { Provider } from './provider.js';
import { TogetherProvider } from './together/together.js';

export type { Provider, ReadOptions, SeenEvents } from './provider.js';

/**
 * Where a person can look at the job, when the provider has such a page. Only against the
 * provider's own API: through a proxy or a test server the link would point elsewhere.
 */
export function dashboardUrlFor(ref: JobRef): string | null {
  if (ref.baseUrl !== DEFAULT_BASE_URLS[ref.provider]) return null;
  return ref.provider === 'openai'
    ? `https://platform.openai.com/finetune/${encodeURIComponent(ref.jobId)}`
    : null;
}

export function createProvider(ref: JobRef, client: ApiClient): Provider {
  switch (ref.provider) {
    case 'together':
      return new TogetherProvider(ref, client);
    case 'openai':
      return new OpenAiCompatibleProvider(ref, client, {
        expectedOrder: 'newest-first',
        checkpointAsModel: false,
      });
    case 'nebius':
      // Nebius follows OpenAI's shape but has been seen answering oldest first: learn the order.
      return new OpenAiCompatibleProvider(ref, client, {
        expectedOrder: null,
        checkpointAsModel: true,
      });
  }
}
