/**
 * The action's output as the runner's log shows it to a person: workflow commands are consumed
 * (`::add-mask::` values become `***` from then on, `::stop-commands::` blocks print as text
 * without their markers), annotations appear as `Warning: …` / `Error: …`, debug lines only
 * with RUNNER_DEBUG. For the demo; the tests check commands with test/support/runner-commands.ts.
 */

const ANNOTATIONS: Record<string, string> = { warning: 'Warning', error: 'Error', notice: 'Notice' };

/** A command's message as @actions/core escapes it. */
function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export class RunnerLogView {
  private partial = '';
  private stopToken: string | null = null;
  private readonly masks: string[] = [];

  constructor(private readonly debug = false) {}

  /** Lines to show for this chunk of output (a partial last line waits for the rest). */
  push(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split(/\r\n|\n|\r/);
    this.partial = lines.pop() ?? '';
    return lines.flatMap((line) => this.line(line));
  }

  /** Whatever is left at the end. */
  end(): string[] {
    const rest = this.partial;
    this.partial = '';
    return rest === '' ? [] : this.line(rest);
  }

  private line(line: string): string[] {
    const trimmed = line.trim();
    if (this.stopToken !== null) {
      if (trimmed === `::${this.stopToken}::`) {
        this.stopToken = null;
        return [];
      }
      return [this.mask(line)];
    }
    const command = /^::([^\s:]+)(?:\s([^:]*))?::(.*)$/.exec(trimmed);
    if (!command) return [this.mask(line)];
    const [, name = '', , data = ''] = command;
    if (name === 'stop-commands') {
      this.stopToken = data;
      return [];
    }
    if (name === 'add-mask') {
      if (data !== '') this.masks.push(unescapeData(data));
      return [];
    }
    const label = ANNOTATIONS[name];
    if (label) return this.mask(`${label}: ${unescapeData(data)}`).split(/\r\n|\n|\r/);
    if (name === 'debug') return this.debug ? [this.mask(`##[debug]${unescapeData(data)}`)] : [];
    if (name === 'group') return [this.mask(`▸ ${unescapeData(data)}`)];
    return [];
  }

  private mask(text: string): string {
    let out = text;
    for (const secret of this.masks) out = out.replaceAll(secret, '***');
    return out;
  }
}
