/** What every row group shares: the providers, the fake servers, and how the action is given its inputs. */
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario, ProviderName } from '../../sim/types.js';

export const API_KEY = 'bench-key-0123456789abcdef';
/** The providers the per-provider rows measure (the cloud platforms have rows of their own). */
export const PROVIDERS = ['together', 'openai', 'nebius'] as const;
export type BenchProvider = (typeof PROVIDERS)[number];
export const LABELS: Record<ProviderName, string> = {
  together: 'Together',
  openai: 'OpenAI',
  nebius: 'Nebius',
  'azure-openai': 'Azure OpenAI',
  fireworks: 'Fireworks',
  bedrock: 'Bedrock',
  vertex: 'Vertex AI',
};
/** The largest events page OpenAI and Nebius serve (src/providers/openai-compatible.ts PAGE_SIZE). */
export const EVENTS_PAGE_SIZE = 100;

export interface BenchContext {
  /** The action's entry file: dist/index.js, or another bundle to compare (`--main`). */
  main: string;
  /** Another bundle that row 5 times alongside (`--baseline`). */
  baseline?: string | undefined;
  /** A short run that exercises every row with small sizes, for CI. */
  smoke: boolean;
  /** Progress lines, so a long run shows it is alive. */
  progress(line: string): void;
}

/** Starts a fake provider with one job, runs `use`, and always stops the server. */
export async function withSim<T>(
  scenario: NamedScenario,
  use: (sim: FakeProvider) => Promise<T>,
  options: Partial<FakeProviderOptions> = {},
): Promise<T> {
  const sim = await startFakeProvider({
    provider: scenario.provider,
    apiKey: API_KEY,
    jobs: { [scenario.id]: scenario },
    ...options,
  });
  try {
    return await use(sim);
  } finally {
    await sim.close();
  }
}

/** The action's inputs for a job on a fake server; `extra` overrides (poll-interval, wait, …). */
export function inputsFor(
  sim: FakeProvider,
  scenario: NamedScenario,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    provider: scenario.provider,
    'job-id': scenario.id,
    // Bedrock and Vertex take no key: they sign with the credentials of cloudEnv.
    'api-key': isCloud(scenario.provider) ? '' : API_KEY,
    'base-url': sim.baseUrl,
    'fail-on': '',
    ...extra,
  };
}

const isCloud = (provider: ProviderName) => provider === 'bedrock' || provider === 'vertex';

export { cloudEnv } from '../../sim/cloud-env.js';
