import { API_KEY_ENV, Input, PROVIDERS, type ProviderName } from '../constants.js';
import { ConfigError } from '../errors.js';
import { type InputReader, readSettings, type Settings } from '../settings.js';
import { envNameOf, UsageError } from './args.js';

/**
 * The action's own input checks (readSettings), with their messages worded for a command line:
 * `--job-id` rather than "Input `job-id`", and the key's flag and variables rather than a
 * workflow secret.
 */
export function readCliSettings(readInput: InputReader, env: NodeJS.ProcessEnv): Settings {
  const keyProblem = missingKeyProblem(readInput, env);
  try {
    // With no key anywhere, a stand-in key lets every other input be checked in the same pass;
    // it never reaches a request because the missing key is reported below.
    const settings = readSettings(
      keyProblem === null ? readInput : (name) => (name === Input.ApiKey ? 'missing' : readInput(name)),
      env,
    );
    if (keyProblem !== null) throw new UsageError(keyProblem);
    return settings;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = [asFlags(error.message), ...(keyProblem === null ? [] : [keyProblem])];
    throw new UsageError(problems.join('\n'));
  }
}

function missingKeyProblem(readInput: InputReader, env: NodeJS.ProcessEnv): string | null {
  const provider = readInput(Input.Provider)?.trim().toLowerCase() ?? '';
  if (!(PROVIDERS as readonly string[]).includes(provider)) return null;
  if (readInput(Input.ApiKey)?.trim()) return null;
  const variable = API_KEY_ENV[provider as ProviderName];
  if (env[variable]?.trim()) return null;
  return `No API key for ${provider}: set ${variable} (or ${envNameOf(Input.ApiKey)}), or pass --api-key.`;
}

/** "Input `poll-interval` must be …" → "--poll-interval must be …". */
function asFlags(message: string): string {
  return message
    .replace(/^Invalid inputs:/, 'Invalid options:')
    .replace(/Input `([a-z-]+)`/g, (_, name: string) => `--${name}`);
}
