import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Input, Output } from '../src/constants.js';
import { INPUT_DEFAULTS } from '../src/settings.js';

interface ActionYml {
  runs: { using: string; main: string };
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  outputs: Record<string, { description: string }>;
}

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml;
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** The rows of the first Markdown table under a `## heading`: first cell (unquoted) → other cells. */
function tableAfter(heading: string): Map<string, string[]> {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? '';
  // The first table of the section: its contiguous run of `|` lines.
  const table = /(?:^\|.*\n?)+/m.exec(section)?.[0] ?? '';
  const rows = table
    .trimEnd()
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
  return new Map(rows.map((cells) => [cells[0]?.replace(/`/g, '') ?? '', cells.slice(1)]));
}

describe('README', () => {
  it('names in its module table only files and folders of src/ that exist', () => {
    const rows = [...tableAfter('Development').keys()];
    expect(rows.length).toBeGreaterThan(5);
    for (const row of rows) {
      for (const [, path] of row.matchAll(/([\w./-]+\/?)/g)) {
        if (!/\.ts$|\/$/.test(path ?? '')) continue;
        expect(existsSync(new URL(`../src/${path}`, import.meta.url)), `src/${path}`).toBe(true);
      }
    }
  });
});

describe('action.yml', () => {
  it('has a description the Marketplace shows whole (under 125 characters)', () => {
    const { description } = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      description: string;
    };
    expect(description.length).toBeLessThan(125);
  });

  it('runs the bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });

  it('declares exactly the inputs the code reads, with the defaults it applies', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort());
    for (const name of Object.values(Input)) {
      const declared = action.inputs[name]?.default ?? '';
      expect(declared.startsWith('${{') ? '' : declared, name).toBe(INPUT_DEFAULTS[name]);
    }
    expect(action.inputs.provider?.required).toBe(true);
    expect(action.inputs['job-id']?.required).toBe(true);
  });

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(action.outputs).sort()).toEqual(Object.values(Output).sort());
  });
});

describe('README', () => {
  it('documents every input with the default of action.yml', () => {
    const table = tableAfter('Inputs');
    expect([...table.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, input] of Object.entries(action.inputs)) {
      const documented = table.get(name)?.[0] ?? '';
      const expected = input.required ? '(required)' : `\`${input.default === '' ? "''" : input.default}\``;
      expect(documented, name).toBe(expected);
    }
  });

  it('documents every output', () => {
    expect([...tableAfter('Outputs').keys()].sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('starts with the demo and the test command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(firstBlock).toContain('npm ci --loglevel=error && npm run demo');
    expect(firstBlock).toContain('npm test');
  });
});
