/** The demos' simulated provider: a provider's real (or realistic) run, and the one key it accepts. */
import { scenarioByName } from './scenarios.js';
import { type FakeProvider, startFakeProvider } from './server.js';
import { type NamedScenario, PROVIDER_NAMES, type ProviderName } from './types.js';

export const DEMO_API_KEY = 'demo-key-not-secret';

export const DEMO_PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES;

/** Together's real quickstart run unless another provider is asked for. */
export async function startDemoJob(
  provider: ProviderName = 'together',
): Promise<{ sim: FakeProvider; scenario: NamedScenario }> {
  const scenario = scenarioByName(provider, 'quickstart');
  const sim = await startFakeProvider({ provider, apiKey: DEMO_API_KEY, jobs: { [scenario.id]: scenario } });
  return { sim, scenario };
}

/** `--provider` of a demo: one of DEMO_PROVIDERS, or a message that lists them. */
export function demoProvider(raw: string | undefined): ProviderName {
  if (raw === undefined) return 'together';
  if ((DEMO_PROVIDERS as readonly string[]).includes(raw)) return raw as ProviderName;
  throw new Error(`--provider must be one of ${DEMO_PROVIDERS.join(', ')}, not "${raw}"`);
}
