#!/usr/bin/env node
/**
 * `fine-tune-watch`, the command line: bundled by ncc to dist/cli/index.js, the package's bin.
 * The Node.js version is checked before the rest of the bundle is evaluated (hence the dynamic
 * import, kept in the same file by webpackMode "eager"), so an old Node gets a sentence, not a
 * stack trace from deep inside undici.
 */
import { ExitCode } from './exit-codes.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exitCode = ExitCode.Usage;
} else {
  void import(/* webpackMode: "eager" */ './main.js').then(({ main }) => main());
}
