import { ConfigError } from '../errors.js';
import { readSettings, type Settings } from '../settings.js';
import { type CliArgs, UsageError } from './args.js';

/** The action's own input checks, worded for a command line (flags and FTW_* variables). */
export function readCliSettings(args: CliArgs, env: NodeJS.ProcessEnv): Settings {
  try {
    return readSettings(args.readInput, env, args.vocabulary);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new UsageError(error.message.replace(/^Invalid inputs:/, 'Invalid options:'));
  }
}
