/**
 * `npm run check-licenses`: the licences of everything we ship, against an allow-list (the job
 * github/licensed does for actions/typescript-action, without Ruby). Two sources:
 * - the bundles' licence files, dist/licenses.txt (scripts/bundle-licenses.ts, from ncc's stats)
 *   and dist/cli/licenses.txt (ncc --license): what the action and the CLI actually contain;
 * - the production dependency tree (`npm ls --omit=dev`): what `npm install` of the package pulls.
 * Exits 1 with one line per problem; add a reviewed exception to scripts/licenses/check.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LicensedPackage, licenseProblems } from './licenses/check.js';
import { parseNccLicenses } from './licenses/ncc-licenses.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE_LICENSE_FILES = ['dist/licenses.txt', 'dist/cli/licenses.txt'];

interface PackageJson {
  name?: string;
  license?: unknown;
  licenses?: unknown;
}

function readPackageJson(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** `license` as SPDX; the deprecated `{type}` and `licenses: [{type}]` forms too. */
function declaredLicense(pkg: PackageJson): string | null {
  const typeOf = (value: unknown) =>
    typeof value === 'string' ? value : ((value as { type?: unknown } | null)?.type ?? null);
  const single = typeOf(pkg.license);
  if (typeof single === 'string') return single;
  if (Array.isArray(pkg.licenses)) {
    const types = pkg.licenses.map(typeOf).filter((type): type is string => typeof type === 'string');
    return types.length > 0 ? `(${types.join(' OR ')})` : null;
  }
  return null;
}

function bundledPackages(): { packages: LicensedPackage[]; problems: string[] } {
  const packages: LicensedPackage[] = [];
  const problems: string[] = [];
  const isPackage = (name: string) => existsSync(join(ROOT, 'node_modules', name, 'package.json'));
  for (const file of BUNDLE_LICENSE_FILES) {
    const path = join(ROOT, file);
    if (!existsSync(path)) {
      problems.push(`${file} is missing: run \`npm run build\` first.`);
      continue;
    }
    const found = parseNccLicenses(readFileSync(path, 'utf8'), isPackage);
    // A bundle with dependencies but no entry read means the format changed under us.
    if (found.length === 0) problems.push(`${file}: no package entries could be read.`);
    packages.push(...found.map((pkg) => ({ ...pkg, source: file })));
  }
  return { packages, problems };
}

function productionPackages(): LicensedPackage[] {
  const listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return listing
    .split('\n')
    .filter((dir) => dir.trim() !== '' && dir !== ROOT.replace(/\/$/, ''))
    .map((dir) => {
      const pkg = readPackageJson(dir);
      return {
        name: pkg.name ?? relative(ROOT, dir),
        license: declaredLicense(pkg),
        source: 'production dependencies',
      };
    });
}

const bundled = bundledPackages();
const production = productionPackages();
const problems = [...bundled.problems, ...licenseProblems([...bundled.packages, ...production])];
if (problems.length > 0) {
  console.error(`Licence check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
const names = new Set([...bundled.packages, ...production].map((pkg) => pkg.name));
console.log(
  `Licences OK: ${bundled.packages.length} bundled entries and ${production.length} production packages (${names.size} distinct), all allowed.`,
);
