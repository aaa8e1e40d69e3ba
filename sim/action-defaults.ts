/**
 * The input defaults declared in action.yml. The runner sets `INPUT_<NAME>` for every declared
 * input, defaulted or not, so running the action without them would not be what users get.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

interface ActionYml {
  inputs?: Record<string, { default?: unknown } | null>;
}

/** `${{ … }}` expressions become '' (there is no workflow context here). */
export function readInputDefaults(actionYmlPath: string): Record<string, string> {
  if (!existsSync(actionYmlPath)) return {};
  const action = parse(readFileSync(actionYmlPath, 'utf8')) as ActionYml;
  return Object.fromEntries(
    Object.entries(action.inputs ?? {}).map(([name, input]) => {
      const value = input?.default === undefined ? '' : String(input.default);
      return [name, /^\$\{\{.*\}\}$/.test(value.trim()) ? '' : value];
    }),
  );
}
