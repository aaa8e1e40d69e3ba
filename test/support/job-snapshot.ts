import type { ProviderName } from '../../src/constants.js';
import type { JobSnapshot } from '../../src/model.js';
import { platformOf } from '../../src/providers/index.js';
import { classifyStatus } from '../../src/status.js';

/** A job snapshot as a provider adapter would return it, with the state its status maps to. */
export function jobSnapshot(
  status: string,
  extra: Partial<JobSnapshot> = {},
  provider: ProviderName = 'together',
): JobSnapshot {
  const { state, known } = classifyStatus(platformOf(provider).statuses, status);
  return {
    providerStatus: status,
    state,
    statusKnown: known,
    model: null,
    modelPath: null,
    error: null,
    baseModel: null,
    trainedTokens: null,
    createdAt: null,
    finishedAt: null,
    progress: {},
    ...extra,
  };
}
