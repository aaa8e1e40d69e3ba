/**
 * Renders a realistic job summary the way a person sees it on the run page: runs the bundled
 * action against the simulated Together quickstart job, turns the summary's Markdown into HTML,
 * lets Mermaid draw the loss chart in headless Chromium, and writes a PNG.
 *
 *   npm run render-summary                 # writes docs/summary.png
 *   npm run render-summary -- --check      # only checks that Mermaid drew the chart (exit 1 if not)
 *
 * Needs Chromium (Debian: `apt-get install chromium`); CHROMIUM=/path overrides where it is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { marked } from 'marked';
import { runAction } from '../sim/runner.js';
import { togetherQuickstart } from '../sim/scenarios.js';
import { startFakeProvider } from '../sim/server.js';

const { values } = parseArgs({ options: { check: { type: 'boolean' }, out: { type: 'string' } } });
const chromium = process.env.CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`Chromium not found at ${chromium}: install it (apt-get install chromium) or set CHROMIUM.`);
  process.exit(2);
}
const mermaidJs = fileURLToPath(new URL('../node_modules/mermaid/dist/mermaid.min.js', import.meta.url));
const output = values.out ?? fileURLToPath(new URL('../docs/summary.png', import.meta.url));

const summary = await realisticSummary();
const html = page(await marked.parse(summary, { gfm: true }));
const file = join(mkdtempSync(join(tmpdir(), 'ftw-render-')), 'summary.html');
writeFileSync(file, html);

const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--user-data-dir=${mkdtempSync(join(tmpdir(), 'ftw-chromium-'))}`,
  '--allow-file-access-from-files',
  '--virtual-time-budget=15000',
];
const dom = execFileSync(chromium, [...flags, '--dump-dom', pathToFileURL(file).href], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
});
const drawn = /<svg[^>]*aria-roledescription="xychart"/.test(dom) && /class="[^"]*line-plot/.test(dom);
if (!drawn) {
  console.error('Mermaid did not draw the loss chart.');
  process.exit(1);
}
console.log('Mermaid drew the loss chart.');
if (!values.check) {
  execFileSync(
    chromium,
    [
      ...flags,
      '--hide-scrollbars',
      '--window-size=900,1760',
      `--screenshot=${output}`,
      pathToFileURL(file).href,
    ],
    {
      stdio: 'ignore',
    },
  );
  console.log(`Wrote ${output}`);
}

async function realisticSummary(): Promise<string> {
  const scenario = togetherQuickstart();
  const sim = await startFakeProvider({
    provider: 'together',
    apiKey: 'render',
    jobs: { [scenario.id]: scenario },
  });
  try {
    const result = await runAction({
      inputs: {
        provider: 'together',
        'job-id': scenario.id,
        'api-key': 'render',
        'base-url': sim.baseUrl,
        'poll-interval': '0.05',
      },
    });
    await result.cleanup();
    if (result.code !== 0) throw new Error(`the action failed:\n${result.stdout}\n${result.stderr}`);
    return result.summary;
  } finally {
    await sim.close();
  }
}

/** The summary in a page styled like GitHub's run summary, Mermaid blocks drawn in place. */
function page(body: string): string {
  const withDiagrams = body.replace(
    /<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g,
    (_, diagram: string) => `<pre class="mermaid">${diagram}</pre>`,
  );
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Job summary</title>
<style>
  body { font: 14px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
  main { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 16px; padding: 8px 24px 16px; }
  h3 { font-size: 20px; border-bottom: 1px solid #d8dee4; padding-bottom: 8px; }
  h4 { font-size: 16px; margin-top: 24px; }
  table { border-collapse: collapse; margin: 8px 0; }
  th, td { border: 1px solid #d0d7de; padding: 4px 12px; }
  tr:nth-child(2n) { background: #f6f8fa; }
  code, pre { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
  code { background: rgba(175,184,193,.2); border-radius: 6px; padding: 2px 5px; }
  pre { background: #f6f8fa; border-radius: 6px; padding: 12px; overflow: auto; }
  pre code { background: none; padding: 0; }
  pre.mermaid { background: #fff; text-align: center; }
  details { margin-top: 16px; }
</style>
<script src="${pathToFileURL(mermaidJs).href}"></script>
</head><body><main>${withDiagrams}</main>
<script>mermaid.initialize({ startOnLoad: true, theme: 'default' });</script>
</body></html>`;
}
