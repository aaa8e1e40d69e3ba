/**
 * Writes the licences of every package in a bundle, from ncc's `--stats-out` file:
 *   tsx scripts/bundle-licenses.ts <stats.json> <licenses.txt>
 *
 * The action's bundle has two files: dist/index.js, and a chunk with Octokit that is loaded
 * only when a pull-request comment is written (so that every start does not parse it). ncc's own
 * `--license` writes one file per chunk under the same name, the last one wins, and it misses
 * modules webpack concatenated; the stats list every module of every chunk. The format is
 * license-webpack-plugin's, as ncc writes it (scripts/licenses/ncc-licenses.ts reads it): for
 * each package, sorted by name, its name, its licence id, its licence text, and a blank line.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface StatsModule {
  identifier?: string;
  name?: string;
  modules?: StatsModule[];
}

const LICENSE_FILE = /^(licen[cs]e|copying)(\.(md|txt))?$/i;

/** The directories of the packages the modules come from (a nested copy is its own package). */
function packageDirsOf(modules: readonly StatsModule[]): Set<string> {
  const dirs = new Set<string>();
  const visit = (list: readonly StatsModule[] | undefined) => {
    for (const module of list ?? []) {
      // Loaders prefix the path with `…!`, module types with `json|`: the file is what follows.
      const path = ((module.identifier ?? '').split('!').pop() ?? '').replace(/^[\w/-]+\|/, '');
      const match = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(path);
      if (match?.[1]) dirs.add(match[1]);
      visit(module.modules);
    }
  };
  visit(modules);
  return dirs;
}

function entryOf(dir: string): { name: string; license: string; text: string } {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    name: string;
    license?: string;
  };
  const file = readdirSync(dir).find((name) => LICENSE_FILE.test(name));
  const text = file ? readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').trim() : '';
  return { name: pkg.name, license: pkg.license ?? 'UNKNOWN', text };
}

function renderLicenses(dirs: Iterable<string>): string {
  const entries = new Map<string, { name: string; license: string; text: string }>();
  for (const dir of dirs) {
    const entry = entryOf(dir);
    // Two copies of one package (two undici versions) are listed once when their texts agree.
    entries.set(`${entry.name}\n${entry.license}\n${entry.text}`, entry);
  }
  return [...entries.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.text < b.text ? -1 : 1))
    .map((entry) => `${entry.name}\n${entry.license}\n${entry.text}\n\n`)
    .join('');
}

function main(): void {
  const [statsPath, outPath] = process.argv.slice(2);
  if (!statsPath || !outPath || !existsSync(statsPath)) {
    process.stderr.write('usage: tsx scripts/bundle-licenses.ts <ncc stats.json> <licenses.txt>\n');
    process.exit(2);
  }
  const stats = JSON.parse(readFileSync(statsPath, 'utf8')) as { modules?: StatsModule[] };
  const dirs = packageDirsOf(stats.modules ?? []);
  if (dirs.size === 0) throw new Error(`${statsPath} names no package: has the stats format changed?`);
  writeFileSync(outPath, renderLicenses(dirs));
}

main();
