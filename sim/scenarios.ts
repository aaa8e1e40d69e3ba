/** Ready-made, realistic scenarios (see sim/scenarios/), and lookup by name for the CLI. */
import { cancelledJob, largeHistory, neverEnding } from './scenarios/generic.js';
import { nebiusCookbook, nebiusFailure } from './scenarios/nebius.js';
import { openaiCookbook, openaiFailure } from './scenarios/openai.js';
import { togetherFailure, togetherLegacyUppercase, togetherQuickstart } from './scenarios/together.js';
import type { NamedScenario, ProviderName, Scenario } from './types.js';

export {
  cancelledJob,
  largeHistory,
  nebiusCookbook,
  nebiusFailure,
  neverEnding,
  openaiCookbook,
  openaiFailure,
  togetherFailure,
  togetherLegacyUppercase,
  togetherQuickstart,
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

/**
 * The named scenario for a provider. 'quickstart' and 'cookbook' both mean the provider's real
 * successful run; 'legacy' exists for Together only; 'large' has 250 events.
 */
export function scenarioByName(provider: ProviderName, name: string): NamedScenario {
  switch (name) {
    case 'quickstart':
    case 'cookbook':
      if (provider === 'together') return togetherQuickstart();
      return provider === 'openai' ? openaiCookbook() : nebiusCookbook();
    case 'legacy':
      if (provider === 'together') return togetherLegacyUppercase();
      break;
    case 'failure':
      if (provider === 'together') return togetherFailure();
      return provider === 'openai' ? openaiFailure() : nebiusFailure();
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
