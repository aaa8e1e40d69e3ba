/**
 * What the action takes from below the public APIs, each for a measured win (see the comments
 * where they are used): V8 flags set at run time, and undici's own Agent and request modules.
 * These tests fail when an upgrade of Node or undici takes one away, instead of a workflow.
 * (The files of @actions/core that src/action/actions-core.ts imports: test/actions-core.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';
import { togetherQuickstart } from '../sim/scenarios.js';
import { V8_FLAGS } from '../src/main.js';
import { actionOnSim } from './support/action-on-sim.js';

describe('V8 flags', () => {
  const v8Options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;

  it.each(V8_FLAGS)('%s is a flag of this Node’s V8', (flag) => {
    const name = (flag.split('=')[0] as string).replace(/^--/, '');
    // V8 lists flags with dashes or underscores; either spelling is accepted.
    const spellings = [name, name.replace(/-/g, '_')].map((spelling) => `  --${spelling} `);
    expect(spellings.some((spelling) => v8Options.includes(spelling))).toBe(true);
  });

  it('setting them prints nothing; an unknown flag would print an error', () => {
    const set = (flags: string) =>
      spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(flags)})`], {
        encoding: 'utf8',
      });
    expect(set(V8_FLAGS.join(' ')).stderr).toBe('');
    expect(set('--no-such-flag-for-this-test').stderr).not.toBe('');
  });

  it('a normal run of the action writes nothing to stderr', async () => {
    const run = await actionOnSim(togetherQuickstart());
    expect(run.result.code).toBe(0);
    expect(run.result.stderr).toBe('');
  });
});

describe('undici internals used by http/undici-lite.ts', () => {
  it('are the Agent class and the request function, as the public entry exports them', async () => {
    const undici = await import('undici');
    expect(AgentClass).toBe(undici.Agent);
    expect(typeof apiRequest).toBe('function');
    expect(undici.Dispatcher.prototype.request).toBe(apiRequest);
  });
});
