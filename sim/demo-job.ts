/** The demos' simulated provider: Together's real quickstart run, and the one key it accepts. */
import { togetherQuickstart } from './scenarios.js';
import { type FakeProvider, startFakeProvider } from './server.js';
import type { NamedScenario } from './types.js';

export const DEMO_API_KEY = 'demo-key-not-secret';

export async function startDemoJob(): Promise<{ sim: FakeProvider; scenario: NamedScenario }> {
  const scenario = togetherQuickstart();
  const sim = await startFakeProvider({
    provider: 'together',
    apiKey: DEMO_API_KEY,
    jobs: { [scenario.id]: scenario },
  });
  return { sim, scenario };
}
