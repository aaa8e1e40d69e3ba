/**
 * The bundled action against a fake provider (and, when asked, a fake GitHub for the pull-request
 * comment), with everything a run leaves behind collected for inspection: stdout, stderr, outputs,
 * the summary, events-file, the comment, and the runner's other command files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { type FakeGitHub, startFakeGitHub } from '../../sim/github-api.js';
import { pullRequestEvent } from '../../sim/github-event.js';
import { type RunActionOptions, type RunActionResult, runAction } from '../../sim/runner.js';
import { type FakeProvider, type FakeProviderOptions, startFakeProvider } from '../../sim/server.js';
import type { NamedScenario } from '../../sim/types.js';
import { type EventLine, readEvents } from './e2e.js';

export interface ActionOnSim {
  sim: FakeProvider;
  github: FakeGitHub | null;
  result: RunActionResult;
  events: EventLine[];
  /** The comment's body as the fake GitHub holds it at the end; '' without one. */
  comment: string;
  /** $GITHUB_ENV, $GITHUB_PATH and $GITHUB_STATE as the action left them: all must stay empty. */
  otherCommandFiles: Record<string, string>;
}

export interface ActionOnSimOptions {
  inputs?: Record<string, string>;
  sim?: Partial<FakeProviderOptions>;
  run?: Partial<RunActionOptions>;
  /** Run on a pull_request event with comment-on-pr and a fake GitHub API. */
  comment?: boolean;
  apiKey?: string;
  /** Called once the fake provider listens, before the action starts (e.g. to set a fault that needs it). */
  onSim?: (sim: FakeProvider) => void;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** One job, or a set of jobs of one provider (their ids given to `job-id` one a line). */
export async function actionOnSim(
  scenarios: NamedScenario | readonly NamedScenario[],
  options: ActionOnSimOptions = {},
): Promise<ActionOnSim> {
  const all = Array.isArray(scenarios) ? scenarios : [scenarios as NamedScenario];
  const scenario = all[0] as NamedScenario;
  const apiKey = options.apiKey ?? 'sk-proj-action-on-sim-0123456789';
  const sim = await startFakeProvider({
    provider: scenario.provider,
    apiKey,
    jobs: Object.fromEntries(all.map((one) => [one.id, one])),
    ...options.sim,
  });
  cleanups.push(() => sim.close());
  options.onSim?.(sim);
  const github = options.comment ? await startFakeGitHub() : null;
  if (github) cleanups.push(() => github.close());
  const result = await runAction({
    inputs: {
      provider: scenario.provider,
      'job-id': all.map((one) => one.id).join('\n'),
      'api-key': apiKey,
      'base-url': sim.baseUrl,
      'poll-interval': '0.02',
      ...(github ? { 'comment-on-pr': 'true', 'github-token': 'ghs_fake-token' } : {}),
      ...options.inputs,
    },
    timeoutMs: 30_000,
    ...(github ? { env: { GITHUB_API_URL: github.apiUrl }, event: pullRequestEvent({ number: 7 }) } : {}),
    ...options.run,
    ...(github && options.run?.env ? { env: { GITHUB_API_URL: github.apiUrl, ...options.run.env } } : {}),
  });
  cleanups.push(() => result.cleanup());
  const commands = join(result.runnerTemp, '_runner_file_commands');
  const otherCommandFiles = Object.fromEntries(
    readdirSync(commands)
      .filter((name) => !name.startsWith('set_output_') && !name.startsWith('step_summary_'))
      .map((name) => [name, readFileSync(join(commands, name), 'utf8')]),
  );
  return {
    sim,
    github,
    result,
    events: readEvents(result.outputs['events-file']),
    comment: github?.comments.at(-1)?.body ?? '',
    otherCommandFiles,
  };
}
