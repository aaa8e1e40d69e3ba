/**
 * The input defaults declared in action.yml. The runner sets `INPUT_<NAME>` for every declared
 * input, defaulted or not, so running the action without them would not be what users get.
 * Only the `inputs:` block is read, with a deliberately small reader (no YAML dependency).
 */
import { existsSync, readFileSync } from 'node:fs';

export function readInputDefaults(actionYmlPath: string): Record<string, string> {
  if (!existsSync(actionYmlPath)) return {};
  const lines = readFileSync(actionYmlPath, 'utf8').split(/\r?\n/);
  const defaults: Record<string, string> = {};
  let inInputs = false;
  let inputIndent = -1;
  let current: string | undefined;
  for (const line of lines) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const indent = line.length - line.trimStart().length;
    if (indent === 0) {
      inInputs = /^inputs:\s*$/.test(line);
      current = undefined;
      continue;
    }
    if (!inInputs) continue;
    if (inputIndent < 0) inputIndent = indent;
    if (indent === inputIndent) {
      current = /^\s*([\w-]+):\s*$/.exec(line)?.[1];
      if (current !== undefined) defaults[current] = '';
      continue;
    }
    const value = /^\s*default:\s*(.*)$/.exec(line)?.[1];
    if (current !== undefined && value !== undefined && indent === inputIndent + 2) {
      defaults[current] = scalar(value);
    }
  }
  return defaults;
}

/** A one-line YAML scalar. `${{ … }}` expressions become '' (there is no workflow context here). */
function scalar(raw: string): string {
  const text = raw.replace(/\s+#.*$/, '').trim();
  let value = text;
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2)
    value = text.slice(1, -1).replaceAll("''", "'");
  else if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) value = JSON.parse(text) as string;
  return /^\$\{\{.*\}\}$/.test(value.trim()) ? '' : value;
}
