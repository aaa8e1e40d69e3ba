import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';

// Drawing needs a browser; machines without Chromium skip this and keep the parser checks of
// test/loss-chart.test.ts.
describe.skipIf(!existsSync(chromium))('the summary as a person sees it', () => {
  it('has a loss chart that Mermaid draws in Chromium', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/render-summary.ts', '--check'],
      {
        timeout: 60_000,
      },
    );
    expect(stdout).toContain('Mermaid drew the loss chart.');
  }, 90_000);
});
