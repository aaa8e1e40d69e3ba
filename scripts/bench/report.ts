/** The machine a run was made on, and docs/BENCHMARKS.md. */
import { cpus, release, totalmem, type } from 'node:os';
import { formatMarkdown, type Row } from './table.js';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  date: string;
  summary: string;
}

export function machine(): Machine {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const cores = cpus().length;
  const memoryGb = Math.round(totalmem() / 2 ** 30);
  const node = process.version;
  const os = `${type()} ${release()}`;
  const date = new Date().toISOString().slice(0, 10);
  return {
    cpu,
    cores,
    memoryGb,
    node,
    os,
    date,
    summary: `${cpu}, ${cores} cores, ${memoryGb} GB, Node ${node}, ${os}, ${date}`,
  };
}

export function renderDocument(rows: readonly Row[], info: Machine, seconds: number): string {
  const missed = rows.filter((row) => row.verdict === 'missed');
  return `# Benchmarks

Written by \`npm run bench\` (${Math.round(seconds)} s); do not edit by hand. Every row below was measured
in that one run, side by side, against the loopback fake providers in \`sim/\`, with the bundled
\`dist/index.js\` run as a child process exactly as the runner runs it.

- Machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGb} GB
- Node: ${info.node} (${info.os})
- Date: ${info.date}

${formatMarkdown(rows)}

${missed.length === 0 ? 'Every target was met.' : `Targets missed: ${missed.map((row) => `${row.group} (${row.case})`).join('; ')}.`}

## Running it

- \`npm run build && npm run bench\`: every row (a few minutes on 2 cores), then this file. Timing rows
  need a quiet machine: anything else running shows up in them.
- \`npm run bench -- --only 3,4\`: some row groups only (by number; 0 is the adaptive pace); prints,
  writes nothing.
- \`npm run bench -- --main other/index.js\`: measures another bundle, e.g. a candidate build,
  side by side with the same fake servers; prints, writes nothing.
- \`npm run bench:smoke\`: small sizes, one repeat, for CI; fails only when a request-count row
  misses its target (timings on CI machines are not judged). The curl row needs \`bash\`, \`curl\`
  and \`jq\`, and says so instead of failing when one is missing.

## How each row is measured

- **CPU** is user + system time from the action's own \`getrusage\`, written at exit by a preloaded
  probe (\`scripts/bench/probe.mjs\`, via \`NODE_OPTIONS=--import\`, so \`node dist/index.js\` runs
  unchanged). Per-poll figures are differential: two runs that differ only in the number of polls,
  their CPU difference divided by the difference in polls, so start-up, the first catch-up and the
  end (outputs, summary) cancel out. Pairs alternate, and the median pair is reported.
- **Peak memory** is the same probe's peak RSS (the whole process: heap, code, buffers), read from
  \`/proc/self/status\` (VmHWM): Linux carries getrusage's \`maxRSS\` over from the parent across
  fork and exec, so a child of the bench would report the bench's own size.
- **Requests** are counted by the fake server, per route. The lower bound for a whole job is
  P + ceil(N / 100): every poll reads the job, and N events need that many pages of 100. On
  Together the job object carries every event, so its bound is P. The excess is what the action
  reads once per job at the end, side by side: checkpoints; on Together the events endpoint once
  more (the list in the job object is as old as the final status, and events can trail it) and the
  metrics. That is a fixed cost per job: against the 11 polls of a bursty Together job it weighs
  a quarter of the bound, against the 241 of a steady one next to nothing.
- **Adaptive pace** rows run the action's own poll loop (\`src/watch.ts\` with
  \`src/poll-pace.ts\`) against a 3-hour job timeline on a fake clock: a bench cannot wait 3 hours.
  Requests there are polls × the idle cost of row 1.
- **Start-up** is wall clock from spawn to exit, medians of interleaved runs of \`node -e 0\`, a
  script doing one \`fetch\` of the job (the floor), and the action with \`wait: false\` on a
  finished job (outputs and summary written).
- **Detection latency**: the fake job turns final just after a poll has seen it running (the worst
  moment); the latency runs from then to the action's exit. One interval of it is the wait for the
  next poll; the rest is the action's own work after the end.
- **curl + jq**: \`scripts/bench/curl-loop.sh\`, the loop users write (status and events each
  poll), measured by bash's \`times\` (getrusage of the shell and every child: curl, jq, sleep).
`;
}
