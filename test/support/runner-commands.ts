/**
 * What the GitHub runner would take as workflow commands in a step's output: `::name …::`
 * lines (after trimming, as the runner does) and legacy `##[name …]` anywhere in a line,
 * honouring `::stop-commands::TOKEN` … `::TOKEN::`. Returns the commands it would run.
 */
export interface ParsedCommand {
  name: string;
  line: string;
}

const LEGACY_COMMANDS = new Set([
  'set-output',
  'set-env',
  'add-path',
  'add-mask',
  'warning',
  'error',
  'debug',
  'group',
  'endgroup',
  'save-state',
  'stop-commands',
  'echo',
  'notice',
  'add-matcher',
  'remove-matcher',
]);

export function runnerCommands(output: string): ParsedCommand[] {
  const commands: ParsedCommand[] = [];
  let stopToken: string | null = null;
  // The runner reads lines with .NET's ReadLine: \r\n, \n and a lone \r all end a line.
  for (const line of output.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    const v2 = /^::([^\s:]+)(?:\s[^:]*)?::/.exec(trimmed);
    const legacy = /##\[([^\s\]]+)[^\]]*\]/.exec(line);
    const name = v2?.[1] ?? (legacy && LEGACY_COMMANDS.has(legacy[1] as string) ? legacy[1] : undefined);
    if (name === undefined) continue;
    if (stopToken !== null) {
      if (v2 && name === stopToken) stopToken = null;
      continue;
    }
    if (name === 'stop-commands') {
      stopToken = trimmed.slice('::stop-commands::'.length);
      continue;
    }
    commands.push({ name, line });
  }
  return commands;
}
