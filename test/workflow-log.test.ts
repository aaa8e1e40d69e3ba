import { describe, expect, it } from 'vitest';
import { WorkflowLog } from '../src/report/workflow-log.js';
import { runnerCommands } from './support/runner-commands.js';

const HOSTILE = [
  'done\n::add-mask::x',
  '::stop-commands::t',
  '::set-output name=status::succeeded',
  'a\r::add-path::/tmp/evil',
  '  ::save-state name=x::1',
  '::echo::on',
  'x ##[set-output name=model;]evil',
  '::error::fake failure',
  '\u001b[31mred\u001b[0m',
];

function capture(print: (log: WorkflowLog) => void): string {
  let out = '';
  print(
    new WorkflowLog((chunk) => {
      out += chunk;
    }),
  );
  return out;
}

describe('WorkflowLog', () => {
  it('prints hostile provider text without the runner taking any of it as a command', () => {
    const out = capture((log) => log.lines(HOSTILE));
    expect(runnerCommands(out)).toEqual([]);
    for (const text of [
      '::add-mask::x',
      '::set-output name=status::succeeded',
      '##[set-output name=model;]evil',
    ]) {
      expect(out).toContain(text);
    }
  });

  it('is what protects: the same lines printed bare would be commands', () => {
    expect(runnerCommands(HOSTILE.join('\n')).map((command) => command.name)).toEqual(['add-mask']);
    expect(runnerCommands(HOSTILE.slice(2).join('\n')).map((command) => command.name)).toEqual([
      'set-output',
      'add-path',
      'save-state',
      'echo',
      'set-output',
      'error',
    ]);
  });

  it('uses a fresh token each time, so provider text cannot end the pause', () => {
    const out = capture((log) => {
      log.line('one');
      log.line('two');
    });
    const tokens = [...out.matchAll(/::stop-commands::([0-9a-f]+)/g)].map((match) => match[1]);
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(tokens[0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('splits CR-only breaks and strips terminal escapes', () => {
    const out = capture((log) => log.line('a\rb\u001b[31m'));
    expect(out).toContain('\na\nb\uFFFD[31m\n');
  });
});
