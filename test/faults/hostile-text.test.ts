/**
 * Hostile text and wrong types from the provider, through the bundled action: the step neither
 * crashes nor obeys. Nothing reaches the runner as a command, the summary and the pull-request
 * comment carry no raw HTML, mention or reference, every event is still in events-file, and the
 * outputs are only ours.
 */
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/constants.js';
import { type ActionOnSim, actionOnSim } from '../support/action-on-sim.js';
import { visibleLog } from '../support/e2e.js';
import { HOSTILE_MESSAGES, hostileJob, MEGABYTE_MESSAGE } from '../support/hostile-scenarios.js';
import { markupViolations } from '../support/markup.js';
import { runnerCommands } from '../support/runner-commands.js';

const KEY = 'sk-proj-hostile-text-7a6b5c4d3e';

/** What a run may ask of the runner: the key's mask, and annotations (one command each). */
function checkNothingObeyed(run: ActionOnSim): void {
  const commands = runnerCommands(run.result.stdout);
  expect(commands.filter((command) => command.name === 'add-mask').map((command) => command.line)).toEqual([
    `::add-mask::${KEY}`,
  ]);
  const others = commands.filter((command) => !['add-mask', 'warning', 'error'].includes(command.name));
  expect(others).toEqual([]);
  // The runner's file commands: nothing may land in the environment, the path or the state.
  expect(Object.values(run.otherCommandFiles)).toEqual(Object.values(run.otherCommandFiles).map(() => ''));
  // Our outputs and no others: a line break in provider text cannot add one.
  expect(Object.keys(run.result.outputs).sort()).toEqual(Object.values(Output).sort());
}

function checkRendered(run: ActionOnSim): void {
  expect(markupViolations(run.result.summary)).toEqual([]);
  expect(run.result.summary.length).toBeLessThan(1024 * 1024);
  expect(run.comment).not.toBe('');
  expect(markupViolations(run.comment)).toEqual([]);
  expect(run.comment.length).toBeLessThan(65_536);
}

describe.each(['together', 'openai', 'nebius', 'azure-openai'] as const)('%s', (provider) => {
  it('neither crashes nor obeys hostile event text and wrong types in every field', async () => {
    const scenario = hostileJob(provider);
    const run = await actionOnSim(scenario, { apiKey: KEY, comment: true, sim: { maxLimit: 7 } });
    const { result } = run;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.outputs.status).toBe('succeeded');
    checkNothingObeyed(run);
    checkRendered(run);

    // Every event is kept, hostile or not, once; the megabyte message whole.
    const history = run.sim.job(scenario.id).events;
    expect(run.events).toHaveLength(history.length);
    expect(result.outputs['events-count']).toBe(String(history.length));
    const messages = run.events.map((event) => event.message);
    // events-file keeps the text exactly as sent (JSON escapes lone surrogates, so the file stays valid).
    for (const message of HOSTILE_MESSAGES) expect(messages).toContain(message);
    expect(messages).toContain(MEGABYTE_MESSAGE);
    expect(run.events.every((event) => typeof event.message === 'string')).toBe(true);

    // The hostile text is shown, as text, and the log stays readable: lines are cut, not megabytes long.
    const log = visibleLog(result.stdout);
    expect(log.join('\n')).toContain('::set-output name=status::succeeded');
    expect(log.join('\n')).toContain('<script>alert(document.cookie)</script>');
    expect(Math.max(...result.stdout.split(/\r\n|\r|\n/).map((line) => line.length))).toBeLessThan(10_000);
  });

  it('fails cleanly on a hostile megabyte error: one error command, a bounded error output', async () => {
    const run = await actionOnSim(hostileJob(provider, 'failed'), { apiKey: KEY, comment: true });
    const { result } = run;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.outputs.status).toBe('failed');
    checkNothingObeyed(run);
    checkRendered(run);
    const error = result.outputs.error ?? '';
    expect(error.startsWith('::add-mask::job-error\n<script>alert(1)</script> @octocat AAAA')).toBe(true);
    expect(error.length).toBeLessThan(11_000);
    expect(error).toMatch(/more characters\)$/);
    const failures = runnerCommands(result.stdout).filter(
      (command) => command.name === 'error' && command.line.includes('Fine-tuning job'),
    );
    expect(failures).toHaveLength(1);
  });
});
