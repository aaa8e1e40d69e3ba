/**
 * The parts of @actions/core this action uses, taken from its own files.
 *
 * @actions/core's entry (`core.js`) also loads its OIDC client, and with it @actions/http-client,
 * a whole second undici and @actions/exec: about 400 KB that every start would parse and run for
 * a token this action never asks for. Its command and file-command modules are self-contained,
 * and the functions below are core.js's own one-liners over them, so workflow commands are
 * formatted and escaped exactly as @actions/core does. The package's `exports` map names only
 * its entry, hence the paths into the installed package (a direct dependency, so always at this
 * place); `test/actions-core.test.ts` checks these write what core.js writes.
 */
import { appendFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { issueCommand } from '../../node_modules/@actions/core/lib/command.js';
import {
  issueFileCommand,
  prepareKeyValueMessage,
} from '../../node_modules/@actions/core/lib/file-command.js';
import { toCommandProperties } from '../../node_modules/@actions/core/lib/utils.js';

export interface AnnotationProperties {
  title?: string;
}

/** Masks a value in the log from here on (core.setSecret). */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret);
}

/** Sets a step output through `$GITHUB_OUTPUT` (core.setOutput; the runner always sets the file). */
export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
  else issueCommand('set-output', { name }, value);
}

/** A line for the runner's debug log, shown only when debug logging is on (core.debug). */
export function debug(message: string): void {
  issueCommand('debug', {}, message);
}

export function warning(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('warning', toCommandProperties(properties), message);
}

export function error(message: string, properties: AnnotationProperties = {}): void {
  issueCommand('error', toCommandProperties(properties), message);
}

/** Marks the step failed and says why (core.setFailed). */
export function setFailed(message: string): void {
  process.exitCode = 1;
  error(message);
}

/**
 * Appends to the job summary, as `core.summary.addRaw(markdown, true).write()` does. Written
 * here because core's summary module loads node's promise-based fs (readline and all) for this
 * one append.
 */
export function appendSummary(markdown: string): void {
  const path = process.env.GITHUB_STEP_SUMMARY;
  if (!path) throw new Error('GITHUB_STEP_SUMMARY is not set: this runner supports no job summary.');
  appendFileSync(path, `${markdown}${EOL}`, 'utf8');
}
