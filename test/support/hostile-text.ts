/**
 * Generators of provider text written to hurt: workflow commands after line breaks of every
 * kind, HTML that runs script, Markdown that breaks tables, @mentions, lone surrogates, control
 * characters, and the plain text around them.
 */
import fc from 'fast-check';

export const HOSTILE_FRAGMENTS = [
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u0085',
  '::add-mask::',
  '::stop-commands::',
  '::stop-commands::t',
  '::set-output name=status::succeeded',
  '::set-env name=NODE_OPTIONS::--require /tmp/x',
  '::add-path::/tmp/evil',
  '::save-state name=s::1',
  '::echo::on',
  '::error::fake',
  '::warning file=a,line=1::w',
  '::group::g',
  '::debug::d',
  '##[set-output name=model;]evil',
  '##[add-mask]x',
  '##[error]e',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '</details>',
  '</pre>',
  '</code>',
  '<!--',
  '-->',
  '<a href="javascript:alert(1)">',
  '@octocat',
  '@github/security',
  '#123',
  'GH-1',
  '`',
  '```',
  '|',
  '\\|',
  '*',
  '_',
  '[x](http://e.invalid)',
  '![x](http://e.invalid/p.png)',
  '&lt;',
  '&',
  '%',
  '%0A',
  ':',
  ',',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u009b',
  '\ud800',
  '\udfff',
  '\ud83d\ude80',
  '\u200b',
  ' ',
  '\t',
  'x',
];

/** Hostile fragments mixed with arbitrary code points (lone surrogates included). */
export const hostileText = (maxPieces = 12): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), fc.string({ unit: 'binary', maxLength: 6 })), {
      maxLength: maxPieces,
    })
    .map((pieces) => pieces.join(''));
