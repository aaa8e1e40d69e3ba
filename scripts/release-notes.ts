/** `npm run release-notes -- 1.2.3`: prints CHANGELOG.md's section for that version (used by release.yml). */
import { readFileSync } from 'node:fs';
import { releaseNotes } from './changelog.js';

const version = process.argv[2] ?? '';
const notes = releaseNotes(readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8'), version);
if (notes === null) {
  console.error(`CHANGELOG.md has no "## [${version}]" section with notes: add one before releasing.`);
  process.exit(1);
}
process.stdout.write(notes);
