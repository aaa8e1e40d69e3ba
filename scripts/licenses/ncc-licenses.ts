/** One bundled package as ncc's `--license` file lists it. */
export interface BundledPackage {
  name: string;
  /** The package's declared licence (SPDX), or null when it declares none. */
  license: string | null;
}

const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;
const SPDX_LIKE = /^[()A-Za-z0-9.+\- ]+$/;

/**
 * Reads the licences file ncc writes with `--license` (license-webpack-plugin's format): for
 * each package, sorted by name, its name, its licence id, its licence text, and a blank line.
 * Licence texts have blank lines of their own, so a name line is recognised as a real package
 * name (`isPackage`, e.g. "has node_modules/<name>/package.json") right after a blank line.
 */
export function parseNccLicenses(text: string, isPackage: (name: string) => boolean): BundledPackage[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const packages: BundledPackage[] = [];
  lines.forEach((line, i) => {
    const startsEntry = i === 0 || lines[i - 1] === '';
    if (!startsEntry || !PACKAGE_NAME.test(line) || !isPackage(line)) return;
    const next = lines[i + 1]?.trim() ?? '';
    packages.push({ name: line, license: next !== '' && SPDX_LIKE.test(next) ? next : null });
  });
  return packages;
}
