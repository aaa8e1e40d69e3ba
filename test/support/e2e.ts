import { afterEach } from 'vitest';
import { type EventLine, readEvents } from './events-file.js';

export { type EventLine, readEvents } from './events-file.js';
import { type RunActionOptions, type RunActionResult, runAction } from '../../sim/runner.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario } from '../../sim/types.js';

export const API_KEY = 'sk-e2e-0123456789abcdef';

export interface Watched {
  sim: FakeProvider;
  result: RunActionResult;
  /** The events-file, parsed. */
  events: EventLine[];
}

const open: { sim: FakeProvider; result?: RunActionResult }[] = [];

afterEach(async () => {
  for (const { sim, result } of open.splice(0)) {
    await sim.close();
    await result?.cleanup();
  }
});

/** Starts a simulated provider with one job and runs the bundled action against it, as the runner does. */
export async function watchOnSim(
  scenario: NamedScenario,
  inputs: Record<string, string> = {},
  simOptions: Partial<FakeProviderOptions> = {},
  runOptions: Partial<RunActionOptions> = {},
): Promise<Watched> {
  const sim = await startFakeProvider({
    provider: scenario.provider,
    apiKey: API_KEY,
    jobs: { [scenario.id]: scenario },
    ...simOptions,
  });
  const entry: { sim: FakeProvider; result?: RunActionResult } = { sim };
  open.push(entry);
  const result = await runAction({
    inputs: {
      provider: scenario.provider,
      'job-id': scenario.id,
      'api-key': API_KEY,
      'base-url': sim.baseUrl,
      'poll-interval': '0.02',
      ...inputs,
    },
    timeoutMs: 30_000,
    ...runOptions,
  });
  entry.result = result;
  return { sim, result, events: readEvents(result.outputs['events-file']) };
}

/** The log without the runner-command lines that frame provider text. */
export function visibleLog(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => !/^::(stop-commands::)?[0-9a-f]{32}::$|^::stop-commands::/.test(line));
}

export function isChronological(events: readonly EventLine[]): boolean {
  return events.every(
    (event, i) => i === 0 || Date.parse(events[i - 1]?.created_at ?? '') <= Date.parse(event.created_at),
  );
}
