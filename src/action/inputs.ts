import type { Input } from '../constants.js';

/**
 * Reads an input the way the runner passes it: `INPUT_<NAME>` with spaces as underscores and
 * hyphens kept. Unlike core.getInput, a missing variable (undefined) is told apart from an
 * empty one, because an empty `fail-on` means "never fail".
 */
export function readActionInput(name: Input, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
}
