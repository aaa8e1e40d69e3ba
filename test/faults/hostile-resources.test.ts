/**
 * Fireworks, Bedrock and Vertex AI have no events: what they say comes in the job object (a
 * status message, a failure message, the model's name). Hostile text there, and a wrong type in
 * every field, through the bundled action with the cloud credentials the auth actions leave:
 * the step neither crashes nor obeys, and the summary carries no raw HTML, mention or reference.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cloudEnv } from '../../sim/cloud-env.js';
import { type RunActionResult, runAction } from '../../sim/runner.js';
import { type FakeProvider, startFakeProvider } from '../../sim/server.js';
import { Output } from '../../src/constants.js';
import { visibleLog } from '../support/e2e.js';
import { readEvents } from '../support/events-file.js';
import { HOSTILE_MESSAGES, hostileResourceJob, type ResourceProvider } from '../support/hostile-scenarios.js';
import { markupViolations } from '../support/markup.js';
import { runnerCommands } from '../support/runner-commands.js';

const KEY = 'fw-hostile-key-0123456789';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function run(
  provider: ResourceProvider,
  end: 'succeeded' | 'failed',
): Promise<{ result: RunActionResult; sim: FakeProvider; otherCommandFiles: string[] }> {
  const scenario = hostileResourceJob(provider, end);
  const sim = await startFakeProvider({ provider, apiKey: KEY, jobs: { [scenario.id]: scenario } });
  const dir = mkdtempSync(join(tmpdir(), 'ftw-hostile-cloud-'));
  cleanups.push(async () => {
    await sim.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const result = await runAction({
    inputs: {
      provider,
      'job-id': scenario.id,
      'api-key': provider === 'fireworks' ? KEY : '',
      'base-url': sim.baseUrl,
      'poll-interval': '0.02',
    },
    env: cloudEnv(sim, dir),
    timeoutMs: 30_000,
  });
  cleanups.push(() => result.cleanup());
  const commands = join(result.runnerTemp, '_runner_file_commands');
  const otherCommandFiles = readdirSync(commands)
    .filter((name) => !name.startsWith('set_output_') && !name.startsWith('step_summary_'))
    .map((name) => readFileSync(join(commands, name), 'utf8'));
  return { result, sim, otherCommandFiles };
}

function checkNothingObeyed(result: RunActionResult, otherCommandFiles: string[]): void {
  const commands = runnerCommands(result.stdout);
  // Masks are the action's own (a key or a cloud secret), never provider text.
  for (const mask of commands.filter((command) => command.name === 'add-mask'))
    expect(HOSTILE_MESSAGES.some((message) => message.includes(mask.line.slice('::add-mask::'.length)))).toBe(
      false,
    );
  const others = commands.filter((command) => !['add-mask', 'warning', 'error'].includes(command.name));
  expect(others).toEqual([]);
  expect(otherCommandFiles).toEqual(otherCommandFiles.map(() => ''));
  expect(Object.keys(result.outputs).sort()).toEqual(Object.values(Output).sort());
  expect(markupViolations(result.summary)).toEqual([]);
  expect(result.summary.length).toBeLessThan(1024 * 1024);
  // Lines are cut: the longest is the failure annotation, its message cut at 10,000 characters.
  expect(Math.max(...result.stdout.split(/\r\n|\r|\n/).map((line) => line.length))).toBeLessThan(10_500);
}

describe.each(['fireworks', 'bedrock', 'vertex'] as const)('%s', (provider) => {
  it('neither crashes nor obeys hostile messages and wrong types in the job', async () => {
    const { result, otherCommandFiles } = await run(provider, 'succeeded');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    checkNothingObeyed(result, otherCommandFiles);
    // The model's name is given as sent, and shown as text.
    expect(result.outputs.model).toBe('<b>ft:model</b>`@octocat\n::set-output name=model::evil');
    const log = visibleLog(result.stdout).join('\n');
    expect(log).toContain('<script>alert(document.cookie)</script>');
    // Every status change is an event, with its message kept exactly in events-file.
    const messages = readEvents(result.outputs['events-file']).map((event) => event.message);
    for (const message of HOSTILE_MESSAGES.slice(0, 5))
      expect(messages.some((text) => text.includes(message))).toBe(true);
  });

  it('fails cleanly on a hostile megabyte failure message', async () => {
    const { result, otherCommandFiles } = await run(provider, 'failed');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('failed');
    checkNothingObeyed(result, otherCommandFiles);
    const error = result.outputs.error ?? '';
    expect(error.startsWith('::add-mask::job-error\n<script>alert(1)</script> @octocat AAAA')).toBe(true);
    expect(error.length).toBeLessThan(11_000);
    const failures = runnerCommands(result.stdout).filter(
      (command) => command.name === 'error' && command.line.includes('Fine-tuning job'),
    );
    expect(failures).toHaveLength(1);
  });
});
