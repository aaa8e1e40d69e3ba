import { DEFAULT_BASE_URLS } from '../constants.js';
import type { ApiClient } from '../http/client.js';
import type { JobRef } from '../model.js';
import { OpenAiCompatibleProvider } from './openai-compatible.js';
import type { Provider } from './provider.js';
import { TogetherProvider } from './together.js';

export type { Provider, SeenEvents } from './provider.js';

/** Dashboard links only make sense against the provider's own API, not a proxy or a test server. */
const onDefaultHost = (ref: JobRef) => ref.baseUrl === DEFAULT_BASE_URLS[ref.provider];

export function createProvider(ref: JobRef, client: ApiClient): Provider {
  switch (ref.provider) {
    case 'together':
      return new TogetherProvider(ref, client);
    case 'openai':
      return new OpenAiCompatibleProvider(ref, client, {
        expectedOrder: 'newest-first',
        checkpointAsModel: false,
        dashboardUrl: onDefaultHost(ref)
          ? (id) => `https://platform.openai.com/finetune/${encodeURIComponent(id)}`
          : undefined,
      });
    case 'nebius':
      // Nebius follows OpenAI's shape but has been seen answering oldest first: learn the order.
      return new OpenAiCompatibleProvider(ref, client, {
        expectedOrder: null,
        checkpointAsModel: true,
      });
  }
}
