import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as ours from '../src/action/actions-core.js';

/** What a call writes to stdout, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY, random delimiters made equal. */
async function effects(call: () => unknown): Promise<{ stdout: string; output: string; summary: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'ftw-core-'));
  const saved = { output: process.env.GITHUB_OUTPUT, summary: process.env.GITHUB_STEP_SUMMARY };
  process.env.GITHUB_OUTPUT = join(dir, 'output');
  process.env.GITHUB_STEP_SUMMARY = join(dir, 'summary');
  writeFileSync(process.env.GITHUB_OUTPUT, '');
  writeFileSync(process.env.GITHUB_STEP_SUMMARY, '');
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    await call();
    const sameDelimiters = (text: string) => text.replace(/ghadelimiter_[0-9a-f-]+/g, 'ghadelimiter_X');
    return {
      stdout: chunks.join(''),
      output: sameDelimiters(readFileSync(process.env.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(process.env.GITHUB_STEP_SUMMARY, 'utf8'),
    };
  } finally {
    spy.mockRestore();
    process.env.GITHUB_OUTPUT = saved.output;
    process.env.GITHUB_STEP_SUMMARY = saved.summary;
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the parts of @actions/core taken from its files write what core's entry writes", () => {
  let exitCode: typeof process.exitCode;
  beforeEach(() => {
    exitCode = process.exitCode;
  });
  afterEach(() => {
    process.exitCode = exitCode;
  });

  const awkward = 'line one\nline two\r\n::add-mask::x %25 % : , ::';

  it('setOutput, with a multi-line value', async () => {
    expect(await effects(() => ours.setOutput('model', awkward))).toEqual(
      await effects(() => core.setOutput('model', awkward)),
    );
  });

  it('setSecret', async () => {
    expect(await effects(() => ours.setSecret('s3cr3t key'))).toEqual(
      await effects(() => core.setSecret('s3cr3t key')),
    );
  });

  it('warning and error, with and without a title', async () => {
    const title = 'a: title, with\nbreaks';
    for (const [mine, theirs] of [
      [() => ours.warning(awkward), () => core.warning(awkward)],
      [() => ours.warning(awkward, { title }), () => core.warning(awkward, { title })],
      [() => ours.error(awkward, { title }), () => core.error(awkward, { title })],
    ] as const) {
      const expected = await effects(theirs);
      expect(expected.stdout).toContain('::');
      expect(await effects(mine)).toEqual(expected);
    }
  });

  it('setFailed, exit code included', async () => {
    const theirs = await effects(() => core.setFailed(awkward));
    const theirCode = process.exitCode;
    process.exitCode = undefined;
    expect(await effects(() => ours.setFailed(awkward))).toEqual(theirs);
    expect(process.exitCode).toBe(theirCode);
  });

  it('appendSummary', async () => {
    const markdown = '## Result\n\n| a | b |\n|---|---|\n| 1 | 2 |';
    const theirs = await effects(() => core.summary.addRaw(markdown, true).write({ overwrite: false }));
    expect(theirs.summary).toContain('## Result');
    expect(await effects(() => ours.appendSummary(markdown))).toEqual(theirs);
  });
});
