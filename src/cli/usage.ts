import { Input, MAX_JOBS } from '../constants.js';
import { INPUT_DEFAULTS } from '../settings.js';
import { envNameOf } from './args.js';
import { ExitCode } from './exit-codes.js';

interface OptionRow {
  flag: string;
  text: string[];
  /** The environment variable that gives the same input. */
  env?: string;
}

const defaultOf = (input: Input) => INPUT_DEFAULTS[input];

const OPTIONS: OptionRow[] = [
  {
    flag: '--provider <name>',
    text: ['together, nebius, openai, azure-openai, fireworks, bedrock or vertex'],
    env: envNameOf(Input.Provider),
  },
  {
    flag: '--job-id <id>',
    text: [
      'the job: ft-… (Together), ftjob-… (OpenAI, Azure, Nebius), its full',
      'name (Fireworks, Vertex AI), its ARN or name (Bedrock); repeat it,',
      `or give ids separated by commas, for up to ${MAX_JOBS} jobs at once`,
    ],
    env: envNameOf(Input.JobId),
  },
  {
    flag: '--api-key <key>',
    text: [
      'default: the provider’s variable (TOGETHER_API_KEY, OPENAI_API_KEY,',
      'AZURE_OPENAI_API_KEY, FIREWORKS_API_KEY, NEBIUS_API_KEY); bedrock and',
      'vertex use the AWS and Google credentials of the environment instead',
    ],
    env: envNameOf(Input.ApiKey),
  },
  {
    flag: '--base-url <url>',
    text: ['API root, version included (required for azure-openai)'],
    env: envNameOf(Input.BaseUrl),
  },
  {
    flag: '--no-wait',
    text: ['check once, print the events so far, exit (`running` if it runs)'],
    env: `${envNameOf(Input.Wait)}=false`,
  },
  {
    flag: '--poll-interval <s>',
    text: [`seconds between polls (default ${defaultOf(Input.PollInterval)}, fractions allowed)`],
    env: envNameOf(Input.PollInterval),
  },
  {
    flag: '--timeout-minutes <m>',
    text: [`stop waiting after this long, 0: no limit (default ${defaultOf(Input.TimeoutMinutes)})`],
    env: envNameOf(Input.TimeoutMinutes),
  },
  {
    flag: '--fail-on <outcomes>',
    text: [`outcomes that exit non-zero (default ${defaultOf(Input.FailOn)};`, `'' for none)`],
    env: envNameOf(Input.FailOn),
  },
  {
    flag: '--require <conditions>',
    text: [
      'quality gates on the final metrics, e.g. "valid_loss <= 1.2;',
      'train_loss < 0.8" (exit 1: rejected)',
    ],
    env: envNameOf(Input.Require),
  },
  {
    flag: '--rank-by <metric>',
    text: [
      `with several jobs, how the best is chosen (default ${defaultOf(Input.RankBy)};`,
      '`max <metric>` for the highest)',
    ],
    env: envNameOf(Input.RankBy),
  },
  {
    flag: '--cancel-on-timeout',
    text: ['ask the provider to cancel the job when the timeout runs out'],
    env: `${envNameOf(Input.CancelOnTimeout)}=true`,
  },
  {
    flag: '--cancel-on-abort',
    text: ['ask the provider to cancel the job on Ctrl-C'],
    env: `${envNameOf(Input.CancelOnAbort)}=true`,
  },
  {
    flag: '--json',
    text: ['NDJSON on stdout: one object per log line, status change, event', 'and heartbeat, then `result`'],
  },
  { flag: '-h, --help', text: ['this text'] },
  { flag: '-V, --version', text: ['the version'] },
];

const FLAG_WIDTH = 24;

function renderOption(row: OptionRow): string[] {
  const text = row.env ? [...row.text, `(env ${row.env})`] : row.text;
  return text.map((line, i) => `  ${(i === 0 ? row.flag : '').padEnd(FLAG_WIDTH)}${line}`);
}

/** `--help`: flags, their variables and defaults, and the exit codes scripts can rely on. */
export function usage(version: string): string {
  return `fine-tune-watch ${version}
Wait on an LLM fine-tuning job (OpenAI, Azure OpenAI, Amazon Bedrock, Vertex AI, Together AI,
Fireworks AI, Nebius Token Factory) and stream its events: the engine of the GitHub Action,
for terminals and other CI systems.

Usage:
  fine-tune-watch --provider <name> --job-id <id> [options]

Options (a flag wins over its environment variable; each on/off flag has a --no- form):
${OPTIONS.flatMap(renderOption).join('\n')}

Exit codes:
  ${ExitCode.Success}    the job succeeded (or ended in an outcome not in --fail-on); with
       several jobs, each did (the worst job's code wins)
  ${ExitCode.JobFailed}    the job failed, was cancelled or rejected by --require (per --fail-on)
  ${ExitCode.Usage}    usage: an unknown flag, a bad value, no job id, no API key or cloud credentials
  ${ExitCode.TimedOut}    timed out: --timeout-minutes ran out (per --fail-on)
  ${ExitCode.ApiError}    API or auth error: 401/403, job not found, another refusal
  130  interrupted by Ctrl-C (143: SIGTERM); a second Ctrl-C exits at once

Example:
  TOGETHER_API_KEY=… npx fine-tune-watch --provider together --job-id ft-3b883474-f39c
`;
}
