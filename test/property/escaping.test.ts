/**
 * Every escaping function, as properties over hostile text: the workflow log never carries a
 * line the runner would take as a command, and the summary and the pull-request comment never
 * carry raw HTML, a broken table, a new line, an @mention or a #reference made of provider text.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JobReport } from '../../src/engine/job-report.js';
import type { FtEvent } from '../../src/model.js';
import { renderComment } from '../../src/report/comment.js';
import { cell, code, copyable, escapeText } from '../../src/report/html.js';
import { oneLine, printableLines } from '../../src/report/safe-text.js';
import { renderSummary } from '../../src/report/summary.js';
import { WorkflowLog } from '../../src/report/workflow-log.js';
import { hostileText } from '../support/hostile-text.js';
import { markupViolations } from '../support/markup.js';
import { runnerCommands } from '../support/runner-commands.js';

const LINE_BREAK = /\r|\n|\u2028|\u2029/;
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

afterEach(() => vi.restoreAllMocks());

/** What @actions/core and WorkflowLog print, captured from process.stdout. */
function stdoutOf(print: () => void): string {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    print();
  } finally {
    vi.restoreAllMocks();
  }
  return out;
}

describe('workflow commands', () => {
  it('lines of provider text are never a command, and every line is shown', () => {
    fc.assert(
      fc.property(fc.array(hostileText(), { minLength: 1, maxLength: 5 }), (texts) => {
        let out = '';
        new WorkflowLog((chunk) => {
          out += chunk;
        }).lines(texts);
        expect(runnerCommands(out)).toEqual([]);
        for (const line of texts.flatMap((text) => printableLines(text))) expect(out).toContain(line);
      }),
      { numRuns: 500 },
    );
  });

  it('annotations and warnings are exactly one command of their own kind, on one line', () => {
    fc.assert(
      fc.property(
        hostileText(),
        hostileText(4),
        fc.constantFrom('eventWarning', 'eventError', 'warning'),
        (text, title, kind) => {
          const log = new WorkflowLog(() => undefined);
          const out = stdoutOf(() => (kind === 'warning' ? log.warning(text) : log[kind](text, title)));
          const commands = runnerCommands(out);
          expect(commands.map((command) => command.name)).toEqual([
            kind === 'eventError' ? 'error' : 'warning',
          ]);
          expect(out.split(/\r\n|\r|\n/).filter((line) => line !== '')).toHaveLength(1);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('printableLines and oneLine leave no control character, lone surrogate or stray line break', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        for (const line of printableLines(text)) {
          expect(line).not.toMatch(LINE_BREAK);
          expect(line).not.toMatch(CONTROL);
          expect(line).not.toMatch(LONE_SURROGATE);
        }
        const single = oneLine(text);
        expect(single).not.toMatch(LINE_BREAK);
        expect(single).not.toMatch(CONTROL);
        expect(single).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 1000 },
    );
  });
});

/** The entities escapeText writes; GitHub shows each as its character. */
const ENTITY = /&(amp|lt|gt|quot|#\d+);/g;
const decode = (html: string) =>
  html.replace(ENTITY, (entity, name: string) => {
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };
    return named[name] ?? String.fromCodePoint(Number(entity.slice(2, -1)));
  });

describe('HTML and Markdown', () => {
  it('escapeText leaves nothing GitHub would read as markup, a mention or a reference, and loses nothing', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        const html = escapeText(text);
        expect(html).not.toMatch(/[<>"'`|\\*_[\]~]/);
        expect(html.replace(ENTITY, '')).not.toContain('&');
        // @mentions and #references are broken by a zero-width space right after the sign.
        expect(html.replaceAll(/[@#]&#8203;/g, '').replace(ENTITY, '')).not.toMatch(/[@#]/);
        expect(html).not.toMatch(LONE_SURROGATE);
        expect(decode(html).replaceAll('\u200b', '')).toBe(text.toWellFormed().replaceAll('\u200b', ''));
      }),
      { numRuns: 1000 },
    );
  });

  it('cell, code and copyable keep provider text on one line, and a copy block holds plain names only', () => {
    fc.assert(
      fc.property(hostileText(), (text) => {
        for (const html of [cell(text), code(text)]) {
          expect(html).not.toMatch(LINE_BREAK);
          expect(html.replace(/^<code>|<\/code>$/g, '')).not.toMatch(/[<>|]/);
        }
        // A copy block is offered for plain names only: nothing inside a fence can be escaped.
        const block = copyable(text);
        if (block === null) return;
        const [open, body, close, ...rest] = block.split('\n');
        expect(rest).toEqual([]);
        expect(open).toBe('```text');
        expect(close).toBe('```');
        expect(body).toMatch(/^[\w.:/+=-]+$/);
      }),
      { numRuns: 1000 },
    );
  });
});

/** A report whose every provider-supplied string is `text` (or derived from it). */
function reportOf(texts: string[], jobId: string): JobReport {
  const t = (i: number) => texts[i % texts.length] ?? '';
  const event = (i: number): FtEvent => ({
    key: `k${i}`,
    id: t(i),
    createdAt: '2026-01-01T00:00:00.000Z',
    level: (['info', 'warning', 'error'] as const)[i % 3] ?? 'info',
    type: t(i + 1),
    message: t(i + 2),
    data: null,
    modelPath: t(i + 3),
  });
  return {
    ref: { provider: 'together', jobId, baseUrl: 'https://api.together.ai/v1' },
    outcome: 'failed',
    job: {
      providerStatus: t(0),
      state: 'failed',
      statusKnown: false,
      model: t(1),
      modelPath: t(2),
      error: t(3),
      baseModel: t(4),
      trainedTokens: 1,
      // Times reach the report already normalised to ISO 8601 (providers/fields.ts toIso).
      createdAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T01:00:00.000Z',
      progress: { step: 1, totalSteps: 2 },
    },
    model: t(7),
    modelPath: t(8),
    error: t(9),
    failure: texts.length % 2 === 0 ? new Error(t(10)) : null,
    eventsCount: 3,
    eventsFile: '/tmp/x',
    checkpoints: [0, 1].map((i) => ({
      id: t(11 + i),
      step: i,
      model: t(13 + i),
      createdAt: t(15 + i),
      metrics: null,
    })),
    metrics: {},
    metricRows: [
      { step: 1, train_loss: 2 },
      { step: 2, train_loss: 1 },
    ],
    recentEvents: [0, 1, 2].map(event),
    startedAt: 0,
    finishedAt: 60_000,
    interrupted: false,
    cancelRequested: false,
    dashboardUrl: null,
    gates: [],
  };
}

/** Lines and table cells do not depend on what the provider wrote, only on whether it wrote any. */
function shape(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    if (fence !== null) {
      if (line.trim() === fence) fence = null;
      return 'fenced';
    }
    fence = /^(`{3,})/.exec(line)?.[1] ?? null;
    if (fence !== null) return 'fence';
    return line.startsWith('|') ? `table ${line.split('|').length}` : 'line';
  });
}

/** Harmless text that is present exactly where the hostile text is (empty stays empty). */
const plainLike = (text: string) => (text === '' ? '' : 'x');

const jobIds = fc.string({ unit: fc.constantFrom(...'ab<>&"\'`|@#-_:/%'), minLength: 1, maxLength: 12 });

describe('summary and pull-request comment', () => {
  it('the job summary carries no raw HTML, mention or reference from the provider, and keeps its shape', () => {
    fc.assert(
      fc.property(fc.array(hostileText(8), { minLength: 1, maxLength: 17 }), jobIds, (texts, jobId) => {
        const summary = renderSummary(reportOf(texts, jobId));
        expect(markupViolations(summary)).toEqual([]);
        const plain = renderSummary(reportOf(texts.map(plainLike), 'ft-1'));
        expect(shape(withoutCopyBlock(summary))).toEqual(shape(withoutCopyBlock(plain)));
      }),
      { numRuns: 300 },
    );
  });

  it('the pull-request comment does the same, and stays under GitHub’s limit', () => {
    fc.assert(
      fc.property(fc.array(hostileText(8), { minLength: 1, maxLength: 17 }), jobIds, (texts, jobId) => {
        const comment = renderComment(reportOf(texts, jobId), 'https://github.com/o/r/actions/runs/1');
        expect(markupViolations(comment)).toEqual([]);
        expect(comment.length).toBeLessThan(65_536);
        const plain = renderComment(
          reportOf(texts.map(plainLike), 'ft-1'),
          'https://github.com/o/r/actions/runs/1',
        );
        expect(shape(withoutCopyBlock(comment))).toEqual(shape(withoutCopyBlock(plain)));
      }),
      { numRuns: 300 },
    );
  });
});

/** The model's copy block is offered for plain names only, so it is left out of shape comparisons. */
function withoutCopyBlock(markdown: string): string {
  return markdown.replace(/Model to deploy:\n\n```text\n[^\n]*\n```\n*/, '');
}
