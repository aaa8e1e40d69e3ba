import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALLOWED_LICENSES, licenseProblems } from '../scripts/licenses/check.js';
import { parseNccLicenses } from '../scripts/licenses/ncc-licenses.js';
import { isAllowed } from '../scripts/licenses/spdx.js';

describe('SPDX expressions', () => {
  const allowed = new Set(['MIT', 'Apache-2.0']);

  it.each([
    ['MIT', true],
    ['GPL-3.0-only', false],
    ['(MIT OR GPL-3.0-only)', true],
    ['GPL-3.0-only OR MIT', true],
    ['MIT AND Apache-2.0', true],
    ['MIT AND GPL-3.0-only', false],
    ['(GPL-3.0-only OR MIT) AND Apache-2.0', true],
    ['GPL-3.0-only OR MIT AND LGPL-2.1-only', false],
    ['Apache-2.0 WITH LLVM-exception', true],
    ['Apache-2.0+', true],
    ['mit', false],
    ['(MIT', false],
    ['MIT OR', false],
    ['', false],
    ['SEE LICENSE IN LICENSE.md', false],
  ])('%j → %s', (expression, expected) => {
    expect(isAllowed(expression, allowed)).toBe(expected);
  });
});

describe('ncc licence files', () => {
  const sample = [
    '@scope/first',
    'MIT',
    'MIT License',
    '',
    'Copyright (c) someone',
    '',
    'not-a-package',
    '',
    'second',
    '(MIT OR Apache-2.0)',
    'text',
    '',
    'no-licence',
    '',
  ].join('\n');
  const installed = new Set(['@scope/first', 'second', 'no-licence']);

  it('reads each package and its licence id, not words of the licence texts', () => {
    expect(parseNccLicenses(sample, (name) => installed.has(name))).toEqual([
      { name: '@scope/first', license: 'MIT' },
      { name: 'second', license: '(MIT OR Apache-2.0)' },
      { name: 'no-licence', license: null },
    ]);
  });

  it('reports packages without a licence or outside the allow-list, and no others', () => {
    expect(
      licenseProblems([
        { name: 'ok', license: 'ISC', source: 'x' },
        { name: 'copyleft', license: 'GPL-3.0-only', source: 'dist/licenses.txt' },
        { name: 'silent', license: null, source: 'production dependencies' },
      ]),
    ).toEqual([
      'copyleft (dist/licenses.txt): licence GPL-3.0-only is not on the allow-list',
      'silent (production dependencies): declares no licence',
    ]);
  });

  it.each(['dist/licenses.txt', 'dist/cli/licenses.txt'])('%s lists only allowed licences', (file) => {
    const url = new URL(`../${file}`, import.meta.url);
    expect(existsSync(url), `${file}: run npm run build`).toBe(true);
    const packages = parseNccLicenses(readFileSync(url, 'utf8'), (name) =>
      existsSync(new URL(`../node_modules/${name}/package.json`, import.meta.url)),
    );
    expect(packages.map((pkg) => pkg.name)).toContain('undici');
    for (const pkg of packages) expect(isAllowed(pkg.license ?? '', ALLOWED_LICENSES), pkg.name).toBe(true);
  });
});
