import { isAllowed } from './spdx.js';

/**
 * Licences that ask only for their notice to travel with the code, which dist/licenses.txt
 * and dist/cli/licenses.txt do. Anything else needs a person to look first.
 */
export const ALLOWED_LICENSES: ReadonlySet<string> = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC0-1.0',
  'ISC',
  'MIT',
  'Unlicense',
]);

/**
 * Packages reviewed by hand whose licence is not on the list (or not declared in SPDX form),
 * with the reason they are fine. Empty so far.
 */
export const REVIEWED: Readonly<Record<string, string>> = {};

export interface LicensedPackage {
  name: string;
  license: string | null;
  /** Where it was found: a bundle's licences file, or the production dependency tree. */
  source: string;
}

/** One line per package whose licence is missing or not allowed. */
export function licenseProblems(packages: readonly LicensedPackage[]): string[] {
  return packages
    .filter((pkg) => !(pkg.name in REVIEWED))
    .filter((pkg) => pkg.license === null || !isAllowed(pkg.license, ALLOWED_LICENSES))
    .map(
      (pkg) =>
        `${pkg.name} (${pkg.source}): ${pkg.license === null ? 'declares no licence' : `licence ${pkg.license} is not on the allow-list`}`,
    );
}
