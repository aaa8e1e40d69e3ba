/**
 * `npm run demo`, the README's first command after install: the bundled action against a
 * simulated platform, as a person runs it. Together by default; another with --provider.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

async function demo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['run', 'demo', '--', ...args], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  return { code, stdout, stderr };
}

describe('npm run demo', () => {
  it(
    'watches the simulated Together job to its model, and shows the log, outputs and summary',
    { timeout: 60_000 },
    async () => {
      const run = await demo([]);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Simulated Together AI at http://127.0.0.1:');
      expect(run.stdout).toMatch(/^ {2}status=succeeded$/m);
      expect(run.stdout).toContain('Job summary (Markdown');
      expect(run.stdout).toMatch(/^Exit code 0 after \d+ ms, \d+ requests\.$/m);
    },
  );

  it('simulates Bedrock with the credentials its auth action would leave', { timeout: 60_000 }, async () => {
    const run = await demo(['--provider', 'bedrock']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Simulated Amazon Bedrock');
    expect(run.stdout).toMatch(/^ {2}model=arn:aws:bedrock:us-east-1:\d{12}:custom-model\//m);
  });

  it('names the platforms it knows when asked for another', { timeout: 60_000 }, async () => {
    const run = await demo(['--provider', 'acme']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--provider must be one of together, openai, nebius, azure-openai');
  });
});
