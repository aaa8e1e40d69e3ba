import { afterEach, describe, expect, it } from 'vitest';
import { HumanLog } from '../src/cli/human-log.js';
import { HumanReporter } from '../src/cli/human-reporter.js';
import { LiveOutput } from '../src/cli/live-output.js';
import { stylesFor, type TerminalStream } from '../src/cli/terminal.js';
import type { FtEvent, JobSnapshot } from '../src/model.js';
import { jobSnapshot } from './support/job-snapshot.js';

/** A running job whatever its status string: these tests are about how statuses print. */
const job = (providerStatus: string, extra: Partial<JobSnapshot> = {}): JobSnapshot =>
  jobSnapshot(providerStatus, { state: 'running', statusKnown: true, ...extra });

const ESC = '\u001b';
const CLEAR_LINE = '\r\u001b[2K';

class FakeTerminal implements TerminalStream {
  written = '';
  constructor(
    readonly isTTY: boolean,
    readonly columns = 80,
  ) {}
  write(text: string): void {
    this.written += text;
  }
  /** What a terminal would show: every \r\x1b[2K wipes the line it is on. */
  get screen(): string {
    return this.written
      .split('\n')
      .map((line) => line.split(CLEAR_LINE).at(-1) ?? '')
      .join('\n');
  }
}

let eventCount = 0;
function event(message: string, extra: Partial<FtEvent> = {}): FtEvent {
  eventCount++;
  return {
    key: `e${eventCount}`,
    id: null,
    createdAt: '2025-04-03T03:19:46.000Z',
    level: 'info',
    type: 'message',
    message,
    data: null,
    modelPath: null,
    ...extra,
  };
}

const outputs: LiveOutput[] = [];
afterEach(() => {
  for (const out of outputs.splice(0)) out.stop();
});

function setUp(isTTY: boolean, env: NodeJS.ProcessEnv = {}, columns = 80) {
  const terminal = new FakeTerminal(isTTY, columns);
  const styles = stylesFor(terminal, env);
  const out = new LiveOutput(terminal, styles, () => 0);
  outputs.push(out);
  const log = new HumanLog(out, styles);
  const reporter = new HumanReporter(out, log, styles, {
    provider: 'openai',
    jobId: 'ftjob-1',
    baseUrl: 'http://127.0.0.1/v1',
  });
  return { terminal, out, log, reporter };
}

describe('colours', () => {
  it('are used on a terminal only, and never with NO_COLOR set', () => {
    expect(stylesFor(new FakeTerminal(true), {}).red('x')).toBe(`${ESC}[31mx${ESC}[39m`);
    expect(stylesFor(new FakeTerminal(true), { NO_COLOR: '' }).red('x')).toContain(ESC);
    expect(stylesFor(new FakeTerminal(true), { NO_COLOR: '1' }).red('x')).toBe('x');
    expect(stylesFor(new FakeTerminal(false), {}).red('x')).toBe('x');
  });

  it('follow FORCE_COLOR, TERM=dumb and NODE_DISABLE_COLORS as Node does', () => {
    expect(stylesFor(new FakeTerminal(false), { FORCE_COLOR: '1' }).red('x')).toContain(ESC);
    expect(stylesFor(new FakeTerminal(false), { FORCE_COLOR: '' }).red('x')).toContain(ESC);
    expect(stylesFor(new FakeTerminal(true), { FORCE_COLOR: '0' }).red('x')).toBe('x');
    expect(stylesFor(new FakeTerminal(true), { FORCE_COLOR: 'false' }).red('x')).toBe('x');
    expect(stylesFor(new FakeTerminal(true), { TERM: 'dumb' }).red('x')).toBe('x');
    expect(stylesFor(new FakeTerminal(true), { NODE_DISABLE_COLORS: '1' }).red('x')).toBe('x');
  });

  it('colour each event by its level', () => {
    const { terminal, reporter } = setUp(true);
    reporter.events([event('disk full', { level: 'error' }), event('slow', { level: 'warning' })], null);
    expect(terminal.written).toContain(`${ESC}[31merror  ${ESC}[39m  disk full`);
    expect(terminal.written).toContain(`${ESC}[33mwarning${ESC}[39m  slow`);
  });
});

describe('provider text on a terminal', () => {
  it('cannot restyle or rewrite the terminal', () => {
    const { terminal, reporter, log } = setUp(true);
    reporter.events([event(`done${ESC}[2J${ESC}]0;pwned\u0007\rfake line`)], null);
    log.warning(`odd ${ESC}[31mred`);
    const fromProvider = terminal.written.replace(/\u001b\[\d+m/g, '').replaceAll(CLEAR_LINE, '');
    expect(fromProvider).not.toContain(ESC);
    expect(fromProvider).toContain('done\uFFFD[2J\uFFFD]0;pwned\uFFFD');
    // A bare \r in a message becomes a line break of its own, never a return to overwrite.
    expect(fromProvider).not.toMatch(/\r(?!\n)/);
  });
});

describe('the progress line', () => {
  it('stays under the log lines and is cleared before each', () => {
    const { terminal, reporter } = setUp(true);
    reporter.status(job('running', { progress: { step: 10, totalSteps: 100 } }), null);
    reporter.events(
      [
        event('step 11', {
          type: 'metrics',
          data: { step: 11, train_loss: 0.123456, total_steps: 100 },
        }),
      ],
      job('running'),
    );
    const screen = terminal.screen.split('\n');
    expect(screen.slice(0, -1)).toEqual([
      `Status: ${ESC}[1mrunning${ESC}[22m (step 10 of 100)`,
      expect.stringContaining('step 11'),
    ]);
    // The last (unfinished) line is the progress line: spinner, status, step, loss, time.
    expect(screen.at(-1)).toMatch(/running · step 11 of 100 · loss 0\.1235 · 0 s$/);
  });

  it('replaces heartbeat lines on a terminal', () => {
    const { terminal, reporter } = setUp(true);
    reporter.heartbeat(job('queued'), 60_000);
    expect(terminal.screen).not.toContain('Still');
    expect(terminal.screen).toMatch(/queued · 0 s$/);
  });

  it('is cut to the terminal width, so it never wraps', () => {
    const { terminal, out } = setUp(true, {}, 30);
    out.setProgress('x'.repeat(100));
    const line = terminal.screen.replace(/\u001b\[\d+m/g, '');
    expect(line.length).toBeLessThan(30);
    expect(line.endsWith('…')).toBe(true);
  });

  it('is gone after stop(), and absent off a terminal', () => {
    const tty = setUp(true);
    tty.out.setProgress('running');
    tty.out.stop();
    expect(tty.terminal.screen).toBe('');
    tty.out.print(['after']);
    expect(tty.terminal.screen).toBe('after\n');

    const pipe = setUp(false);
    pipe.reporter.status(job('running'), null);
    pipe.reporter.heartbeat(job('running'), 90_000);
    expect(pipe.terminal.written).toBe('Status: running\nStill running (no new events for 1 min 30 s)\n');
  });
});

describe('metrics events', () => {
  it('are condensed to the first and last of a long run, as in the action’s log', () => {
    const { terminal, reporter } = setUp(false);
    const metrics = [1, 2, 3, 4, 5].map((step) =>
      event(`step ${step}`, { type: 'metrics', data: { step, train_loss: 1 / step } }),
    );
    reporter.events([event('started'), ...metrics, event('done')], null);
    const lines = terminal.written.trimEnd().split('\n');
    expect(lines.map((line) => line.replace(/^\S+ \S+ {2}\S+ +/, ''))).toEqual([
      'started',
      'step 1',
      '… 3 more metrics events (all in the events file)',
      'step 5',
      'done',
    ]);
  });
});
