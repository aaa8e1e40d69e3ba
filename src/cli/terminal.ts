import { styleText } from 'node:util';

/** Where the CLI writes: process.stdout in use, a string buffer in tests. */
export interface TerminalStream {
  write(text: string): void;
  /** True on an interactive terminal: colours and the updating progress line are for it only. */
  readonly isTTY: boolean;
  /** Width in characters, when known. */
  readonly columns?: number | undefined;
}

type Style = (text: string) => string;

export interface Styles {
  bold: Style;
  dim: Style;
  red: Style;
  green: Style;
  yellow: Style;
  cyan: Style;
}

type Format = Parameters<typeof styleText>[0];

/** Node's own styling; whether to style at all is decided once, by colorsWanted. */
const style =
  (format: Format): Style =>
  (text) =>
    styleText(format, text, { validateStream: false });

const COLOURS: Styles = {
  bold: style('bold'),
  dim: style('dim'),
  red: style('red'),
  green: style('green'),
  yellow: style('yellow'),
  cyan: style('cyan'),
};

const plain: Style = (text) => text;
const PLAIN: Styles = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };

/**
 * Colours as Node decides them for its own output (util.styleText with a stream): FORCE_COLOR
 * turns them on (`0` or `false` off) even in a pipe; otherwise only on a terminal, and not when
 * NO_COLOR or NODE_DISABLE_COLORS is set or TERM is `dumb` (https://no-color.org). Decided here
 * from `env` rather than inside styleText, which reads process.env, so the CLI can be run with
 * any environment.
 */
export function colorsWanted(stream: Pick<TerminalStream, 'isTTY'>, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (!stream.isTTY) return false;
  if (env.NO_COLOR || env.NODE_DISABLE_COLORS !== undefined) return false;
  return env.TERM !== 'dumb';
}

export function stylesFor(stream: TerminalStream, env: NodeJS.ProcessEnv): Styles {
  return colorsWanted(stream, env) ? COLOURS : PLAIN;
}

export function fromProcessStream(stream: NodeJS.WriteStream): TerminalStream {
  return {
    write: (text) => {
      stream.write(text);
    },
    get isTTY() {
      return stream.isTTY === true;
    },
    get columns() {
      return stream.columns;
    },
  };
}
