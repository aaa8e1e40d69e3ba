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

const sgr =
  (open: number, close: number): Style =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const COLOURS: Styles = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  red: sgr(31, 39),
  green: sgr(32, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
};

const plain: Style = (text) => text;
const PLAIN: Styles = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };

/** Colours on a terminal unless NO_COLOR is set to anything but '' (https://no-color.org). */
export function stylesFor(stream: TerminalStream, env: NodeJS.ProcessEnv): Styles {
  return stream.isTTY && !env.NO_COLOR ? COLOURS : PLAIN;
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
