import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface ActionYml {
  inputs: Record<string, { required?: boolean }>;
  outputs: Record<string, unknown>;
}

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

interface Job {
  steps?: Step[];
  outputs?: Record<string, string>;
  needs?: string | string[];
}

interface Workflow {
  name?: string;
  on?: unknown;
  jobs?: Record<string, Job>;
}

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as ActionYml;
const inputs = Object.keys(action.inputs);
const required = inputs.filter((name) => action.inputs[name]?.required);
const outputs = Object.keys(action.outputs);

function yamlFiles(dir: string): [string, string][] {
  const url = new URL(`../${dir}/`, import.meta.url);
  return readdirSync(url)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort()
    .map((file) => [`${dir}/${file}`, readFileSync(new URL(file, url), 'utf8')]);
}

/** Steps that run this action: the published reference, or `./` in this repository. */
const isThisAction = (step: Step) =>
  step.uses !== undefined && (step.uses === './' || /^fine-tune-watch\/fine-tune-watch@/.test(step.uses));

/** Every `<prefix>.<name>.outputs.<output>` in the workflow's expressions. */
function outputReferences(text: string, prefix: 'steps' | 'needs'): [string, string][] {
  return [...text.matchAll(new RegExp(`\\b${prefix}\\.([\\w-]+)\\.outputs\\.([\\w-]+)`, 'g'))].map(
    (match) => [match[1] ?? '', match[2] ?? ''],
  );
}

/**
 * Checks a workflow against action.yml: each step of this action passes only inputs that exist
 * and every required one; each `steps.<id>.outputs.x` of such a step, and each job output
 * forwarded from one, names a real output.
 */
function problemsOf(text: string): string[] {
  const workflow = parse(text) as Workflow;
  const problems: string[] = [];
  if (!workflow.on) problems.push('no `on:` trigger');
  if (!workflow.jobs || Object.keys(workflow.jobs).length === 0) problems.push('no jobs');
  const actionStepIds = new Set<string>();
  const forwarded = new Map<string, Set<string>>(); // job → its outputs that come from this action
  for (const [jobName, job] of Object.entries(workflow.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      if (!isThisAction(step)) continue;
      if (step.id) actionStepIds.add(step.id);
      const given = Object.keys(step.with ?? {});
      for (const key of given)
        if (!inputs.includes(key)) problems.push(`${jobName}: unknown input \`${key}\``);
      for (const key of required)
        if (!given.includes(key)) problems.push(`${jobName}: missing input \`${key}\``);
    }
    for (const [name, value] of Object.entries(job.outputs ?? {})) {
      const [ref] = outputReferences(value, 'steps');
      if (ref && actionStepIds.has(ref[0]))
        forwarded.set(jobName, forwarded.get(jobName)?.add(name) ?? new Set([name]));
    }
  }
  for (const [id, output] of outputReferences(text, 'steps')) {
    if (actionStepIds.has(id) && !outputs.includes(output))
      problems.push(`steps.${id}.outputs.${output}: no such output`);
  }
  for (const [job, output] of outputReferences(text, 'needs')) {
    const known = forwarded.get(job);
    if (known && !known.has(output))
      problems.push(`needs.${job}.outputs.${output}: the job has no such output`);
  }
  return problems;
}

const examples = yamlFiles('examples');
const workflows = yamlFiles('.github/workflows');

describe('examples/', () => {
  it('has the cases the README promises', () => {
    const names = examples.map(([file]) => file.replace('examples/', ''));
    expect(names).toEqual(
      expect.arrayContaining([
        'together.yml',
        'nebius.yml',
        'openai.yml',
        'openai-compatible.yml',
        'gate-deployment.yml',
        'pr-comment.yml',
        'scheduled-check.yml',
        'resume-long-job.yml',
      ]),
    );
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const name of names) expect(readme, `README links ${name}`).toContain(`(examples/${name})`);
  });

  it.each(examples)('%s is a valid workflow that uses the action as action.yml declares it', (_, text) => {
    expect(problemsOf(text)).toEqual([]);
    const workflow = parse(text) as Workflow;
    const steps = Object.values(workflow.jobs ?? {}).flatMap((job) => job.steps ?? []);
    expect(steps.some(isThisAction)).toBe(true);
    expect(
      steps.filter(isThisAction).every((step) => step.uses === 'fine-tune-watch/fine-tune-watch@v1'),
    ).toBe(true);
  });

  it.each(examples)(
    '%s fails a step whose piped curl fails, and refuses an empty or null job id',
    (_, text) => {
      const workflow = parse(text) as Workflow;
      for (const job of Object.values(workflow.jobs ?? {}))
        for (const step of job.steps ?? []) {
          const run = step.run ?? '';
          // The runner's default shell is `bash -e`: a pipe's failure is its last command's.
          if (!/curl[\s\S]*\|\s*jq/.test(run)) continue;
          expect(run).toMatch(/^\s*set -o pipefail/m);
          expect(run).toMatch(/-z "\$job_id"/);
          expect(run).toMatch(/"\$job_id" = null/);
        }
    },
  );

  it.each(examples)('%s never puts an output of the action straight into a script', (_, text) => {
    const workflow = parse(text) as Workflow;
    for (const job of Object.values(workflow.jobs ?? {}))
      for (const step of job.steps ?? []) expect(step.run ?? '').not.toMatch(/\$\{\{[^}]*outputs\./);
  });
});

describe('.github/workflows/', () => {
  it('release: npm runs only in a read-only job that keeps no token; tags are pushed from a job without npm', () => {
    const release = parse(
      workflows.find(([file]) => file.endsWith('/release.yml'))?.[1] ?? '',
    ) as Workflow & {
      jobs: Record<string, Job & { permissions?: Record<string, string> }>;
    };
    for (const [name, job] of Object.entries(release.jobs)) {
      const runsNpm = (job.steps ?? []).some((step) => /\bnpm\b/.test(step.run ?? ''));
      const writes = Object.values(job.permissions ?? {}).includes('write');
      expect(runsNpm && writes, `${name} both runs npm and may write`).toBe(false);
      if (runsNpm) {
        const checkout = (job.steps ?? []).find((step) => step.uses?.startsWith('actions/checkout@'));
        expect(checkout?.with?.['persist-credentials'], `${name} keeps the token in .git/config`).toBe(false);
      }
    }
    expect(Object.values(release.jobs).some((job) => job.permissions?.contents === 'write')).toBe(true);
  });

  it.each(workflows)('%s parses and uses the action as action.yml declares it', (_, text) => {
    expect(problemsOf(text)).toEqual([]);
  });

  it('runs the action from this repository (`uses: ./`) in CI', () => {
    const ci = workflows.find(([file]) => file.endsWith('/ci.yml'))?.[1] ?? '';
    const steps = Object.values((parse(ci) as Workflow).jobs ?? {}).flatMap((job) => job.steps ?? []);
    expect(steps.filter((step) => step.uses === './').length).toBeGreaterThan(0);
  });
});

describe('the checker itself', () => {
  it('catches unknown and missing inputs and unknown outputs', () => {
    const bad = `
on: push
jobs:
  a:
    outputs:
      model: \${{ steps.ft.outputs.model }}
    steps:
      - id: ft
        uses: fine-tune-watch/fine-tune-watch@v1
        with:
          provider: together
          job_id: x
      - run: echo "\${{ steps.ft.outputs.modle }}"
  b:
    needs: a
    if: needs.a.outputs.status == 'succeeded'
`;
    expect(problemsOf(bad)).toEqual([
      'a: unknown input `job_id`',
      'a: missing input `job-id`',
      'steps.ft.outputs.modle: no such output',
      'needs.a.outputs.status: the job has no such output',
    ]);
  });
});
