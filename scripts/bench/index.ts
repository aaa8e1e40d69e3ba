/**
 * `npm run bench`: measures the bundled action (dist/index.js) against the loopback fake
 * providers and prints one table, every row measured in this run; then writes it, with the
 * machine and the Node version, to docs/BENCHMARKS.md.
 *
 * `npm run bench:smoke` (`--smoke`): the same code paths with small sizes and few repeats, for
 * CI. It writes no file, and fails only when a deterministic row (request counts) misses its
 * target or something breaks; timing rows are never judged on a CI machine.
 *
 * `--only 1,5`: just those row groups (by the numbering; 0 = the adaptive-pace rows).
 * `--main <file>`: measure another bundle (e.g. a candidate build) instead of dist/index.js.
 * `--baseline <file>`: row 5 also times this bundle, in the same rounds, so a change's start-up
 * cost is read side by side: `git archive HEAD~1 dist | tar -x -C /tmp/before`, then
 * `npm run bench -- --only 5 --baseline /tmp/before/dist/index.js`.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { DEFAULT_MAIN } from '../../sim/runner.js';
import type { BenchContext } from './common.js';
import { machine, renderDocument } from './report.js';
import { curlRows } from './rows/curl.js';
import { historyRows } from './rows/history.js';
import { jobsRows } from './rows/jobs.js';
import { latencyRows } from './rows/latency.js';
import { pacingRows } from './rows/pacing.js';
import { idleRequests, wholeJobRequests } from './rows/requests.js';
import { startupRows } from './rows/startup.js';
import { formatText, type Row } from './table.js';

const DOC = fileURLToPath(new URL('../../docs/BENCHMARKS.md', import.meta.url));

/** Row groups in table order; `ids` are the row numbers each one fills. */
const GROUPS: { ids: number[]; run: (ctx: BenchContext) => Promise<Row[]> }[] = [
  { ids: [1], run: idleRequests },
  { ids: [2], run: wholeJobRequests },
  { ids: [0], run: pacingRows },
  { ids: [3, 4], run: historyRows },
  { ids: [5], run: startupRows },
  { ids: [6], run: latencyRows },
  { ids: [7], run: curlRows },
  { ids: [8], run: jobsRows },
];

const { values } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    main: { type: 'string' },
    baseline: { type: 'string' },
    only: { type: 'string' },
    'no-write': { type: 'boolean', default: false },
  },
});

const main = resolve(values.main ?? DEFAULT_MAIN);
if (!existsSync(main)) {
  console.error(`${relative(process.cwd(), main)} does not exist: run \`npm run build\` first.`);
  process.exit(1);
}

const baseline = values.baseline === undefined ? undefined : resolve(values.baseline);
if (baseline !== undefined && !existsSync(baseline)) {
  console.error(`${relative(process.cwd(), baseline)} does not exist.`);
  process.exit(1);
}

const only = values.only?.split(',').map((id) => Number(id.trim()));
const started = performance.now();
const ctx: BenchContext = {
  main,
  baseline,
  smoke: values.smoke,
  progress: (line) =>
    console.error(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`),
};
const info = machine();
console.error(
  `fine-tune-watch bench${ctx.smoke ? ' (smoke)' : ''} of ${relative(process.cwd(), main)}: ${info.summary}`,
);

const rows: Row[] = [];
for (const group of GROUPS) {
  if (only && !group.ids.some((id) => only.includes(id))) continue;
  rows.push(...(await group.run(ctx)));
}
const seconds = (performance.now() - started) / 1000;

console.log(`\n${formatText(rows)}\n`);
console.log(`${info.summary}; ${seconds.toFixed(0)} s.`);

// The document describes the committed bundle; runs of another one (--main) only print.
if (!ctx.smoke && !values['no-write'] && !only && values.main === undefined && baseline === undefined) {
  // Formatted as `npm run lint` expects it (prettier aligns the table), so the file passes as written.
  const text = await format(renderDocument(rows, info, seconds), {
    ...(await resolveConfig(DOC)),
    filepath: DOC,
  });
  await writeFile(DOC, text);
  console.log(`Wrote ${relative(process.cwd(), DOC)}.`);
}

const failed = rows.filter((row) => row.strict && row.verdict === 'missed');
if (ctx.smoke && failed.length > 0) {
  console.error(`Smoke run: ${failed.length} deterministic row(s) missed the target.`);
  process.exit(1);
}
