/** Ready-made, realistic scenarios (see sim/scenarios/), and lookup by name for the CLI. */
import { azureFailure, azureTutorial } from './scenarios/azure.js';
import { bedrockCompleted, bedrockFailed } from './scenarios/bedrock.js';
import { fireworksCompleted, fireworksFailed } from './scenarios/fireworks.js';
import { cancelledJob, largeHistory, neverEnding } from './scenarios/generic.js';
import { nebiusCookbook, nebiusFailure } from './scenarios/nebius.js';
import { openaiCookbook, openaiFailure } from './scenarios/openai.js';
import { togetherFailure, togetherLegacyUppercase, togetherQuickstart } from './scenarios/together.js';
import { vertexFailed, vertexSucceeded } from './scenarios/vertex.js';
import type { NamedScenario, ProviderName, Scenario } from './types.js';

export {
  azureFailure,
  azureTutorial,
  bedrockCompleted,
  bedrockFailed,
  cancelledJob,
  fireworksCompleted,
  fireworksFailed,
  largeHistory,
  nebiusCookbook,
  nebiusFailure,
  neverEnding,
  openaiCookbook,
  openaiFailure,
  togetherFailure,
  togetherLegacyUppercase,
  togetherQuickstart,
  vertexFailed,
  vertexSucceeded,
};

export const SCENARIO_NAMES = [
  'quickstart',
  'cookbook',
  'legacy',
  'failure',
  'cancelled',
  'never',
  'large',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Each provider's real (or realistic) successful run and failure. */
const RUNS: Record<ProviderName, { success: () => NamedScenario; failure: () => NamedScenario }> = {
  together: { success: togetherQuickstart, failure: togetherFailure },
  openai: { success: openaiCookbook, failure: openaiFailure },
  nebius: { success: nebiusCookbook, failure: nebiusFailure },
  'azure-openai': { success: azureTutorial, failure: azureFailure },
  fireworks: { success: fireworksCompleted, failure: fireworksFailed },
  bedrock: { success: bedrockCompleted, failure: bedrockFailed },
  vertex: { success: vertexSucceeded, failure: vertexFailed },
};

/**
 * The named scenario for a provider. 'quickstart' and 'cookbook' both mean the provider's real
 * successful run; 'legacy' exists for Together only; 'large' has 250 events (250 status updates
 * on Fireworks, Bedrock and Vertex, which have no events).
 */
export function scenarioByName(provider: ProviderName, name: string): NamedScenario {
  switch (name) {
    case 'quickstart':
    case 'cookbook':
      return RUNS[provider].success();
    case 'legacy':
      if (provider === 'together') return togetherLegacyUppercase();
      break;
    case 'failure':
      return RUNS[provider].failure();
    case 'cancelled':
      return cancelledJob(provider);
    case 'never':
      return neverEnding(provider);
    case 'large':
      return largeHistory(provider, 250);
  }
  throw new Error(
    `no scenario '${name}' for ${provider}; choose one of: ${SCENARIO_NAMES.filter((n) => provider === 'together' || n !== 'legacy').join(', ')}`,
  );
}

/** `jobs` option of startFakeProvider from named scenarios, keyed by their ids. */
export function jobsOf(...scenarios: NamedScenario[]): Record<string, Scenario> {
  return Object.fromEntries(scenarios.map((scenario) => [scenario.id, scenario]));
}
