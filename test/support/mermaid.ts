import { JSDOM } from 'jsdom';

type Mermaid = (typeof import('mermaid'))['default'];
let loaded: Promise<Mermaid> | undefined;

/** Mermaid's own parser, in a jsdom window (it expects a browser), loaded once per test file. */
export function mermaid(): Promise<Mermaid> {
  loaded ??= (async () => {
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window, document: window.document });
    const { default: instance } = await import('mermaid');
    instance.initialize({ startOnLoad: false });
    return instance;
  })();
  return loaded;
}

/** The body of the first ```mermaid block of a Markdown text. */
export function mermaidBlock(markdown: string): string | undefined {
  return /```mermaid\n([\s\S]*?)```/.exec(markdown)?.[1];
}
