import { describe, expect, it } from 'vitest';
import { RunnerLogView } from '../sim/runner-log.js';

describe('the log as the runner shows it (the demo)', () => {
  it('consumes workflow commands: masks, stop-commands blocks, annotations, debug', () => {
    const view = new RunnerLogView();
    const shown = [
      ...view.push('::add-mask::sk-secret-1\n::stop-commands::abc123\nline with sk-secret-1\n::warn'),
      ...view.push(
        'ing::not a command inside\n::abc123::\n::warning title=Together AI job ft-1::slow%0Astill\n',
      ),
      ...view.push('::error::it broke\n::debug::hidden\n::set-output name=x::y\nplain'),
      ...view.end(),
    ];
    expect(shown).toEqual([
      'line with ***',
      '::warning::not a command inside',
      'Warning: slow',
      'still',
      'Error: it broke',
      'plain',
    ]);
    expect(new RunnerLogView(true).push('::debug::seen\n')).toEqual(['##[debug]seen']);
  });
});
