import { parseArgs } from 'node:util';
import { Input } from '../constants.js';
import type { InputReader } from '../settings.js';
import type { Vocabulary } from '../vocabulary.js';

/** A command line the CLI cannot run: exit code 2, nothing asked of the provider. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * How each action input is given to the CLI: a flag taking a value, an on/off flag (with its
 * `--no-` form), or, for what only makes sense on a runner, a fixed value. A Record over every
 * input, so an input added to action.yml cannot be forgotten here.
 */
const FLAG_KINDS = {
  [Input.Provider]: 'value',
  // Repeatable: `--job-id a --job-id b` watches both, as `--job-id a,b` does.
  [Input.JobId]: 'values',
  [Input.ApiKey]: 'value',
  [Input.BaseUrl]: 'value',
  [Input.Wait]: 'switch',
  [Input.PollInterval]: 'value',
  [Input.TimeoutMinutes]: 'value',
  [Input.FailOn]: 'value',
  [Input.CancelOnTimeout]: 'switch',
  [Input.CancelOnAbort]: 'switch',
  [Input.Summary]: { fixed: 'false' },
  [Input.CommentOnPr]: { fixed: 'false' },
  [Input.GithubToken]: { fixed: '' },
  [Input.Require]: 'value',
  [Input.RankBy]: 'value',
} satisfies Record<Input, 'value' | 'values' | 'switch' | { fixed: string }>;

type FlagKind = (typeof FLAG_KINDS)[Input];

/** The inputs the CLI takes as flags, in the order --help lists them. */
export const CLI_INPUTS = (Object.entries(FLAG_KINDS) as [Input, FlagKind][])
  .filter(([, kind]) => typeof kind === 'string')
  .map(([name]) => name);

/** `job-id` → `FTW_JOB_ID`: every flag can come from the environment instead. */
export function envNameOf(input: Input): string {
  return `FTW_${input.toUpperCase().replace(/-/g, '_')}`;
}

export interface CliArgs {
  json: boolean;
  help: boolean;
  version: boolean;
  /** Flag first, then FTW_* variable, else undefined so readSettings applies action.yml's default. */
  readInput: InputReader;
  /** Messages name the flag, or the FTW_* variable when the value came from there. */
  vocabulary: Vocabulary;
}

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parseOptions(): ParseOptions {
  const options: ParseOptions = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'V' },
  };
  for (const input of CLI_INPUTS)
    options[input] =
      FLAG_KINDS[input] === 'switch'
        ? { type: 'boolean' }
        : { type: 'string', multiple: FLAG_KINDS[input] === 'values' };
  return options;
}

/**
 * `--poll-interval -5` as `--poll-interval=-5`: parseArgs takes a value that starts with a dash
 * for another option and says so in its own words; the value's own check says what to write.
 */
function joinDashedValues(argv: readonly string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const kind = FLAG_KINDS[arg.slice(2) as Input];
    const takesValue = arg.startsWith('--') && (kind === 'value' || kind === 'values');
    if (takesValue && next !== undefined && /^-[\d.]/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliArgs {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinDashedValues(argv),
      options: parseOptions(),
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const flags = new Map<string, string>();
  // Tokens in order, so that of `--wait … --no-wait` the last one wins, as in most CLIs.
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const kind = FLAG_KINDS[token.name as Input];
    if (kind === 'switch') flags.set(token.name, String(!token.rawName.startsWith('--no-')));
    else if (token.value !== undefined && kind === 'values' && flags.has(token.name))
      flags.set(token.name, `${flags.get(token.name)},${token.value}`);
    else if (token.value !== undefined) flags.set(token.name, token.value);
  }
  const readInput: InputReader = (name) => {
    const kind: FlagKind = FLAG_KINDS[name];
    if (typeof kind === 'object') return kind.fixed;
    return flags.get(name) ?? env[envNameOf(name)];
  };
  const nameOf = (input: Input) =>
    !flags.has(input) && env[envNameOf(input)] !== undefined ? envNameOf(input) : `--${input}`;
  return {
    json: parsed.values.json === true,
    help: parsed.values.help === true,
    version: parsed.values.version === true,
    readInput,
    vocabulary: {
      name: nameOf,
      subject: nameOf,
      keySources: (variable) => `${variable}, ${envNameOf(Input.ApiKey)} or --api-key`,
    },
  };
}

/** True when the command line asks for JSON, even one too broken to parse: errors then come as JSON too. */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}
