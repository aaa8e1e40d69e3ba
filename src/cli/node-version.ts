/**
 * The oldest Node.js the bundle runs on: undici, bundled in, needs 22.19 (its `engines`).
 * Older versions fail inside undici with an unreadable TypeError, so the entry checks first.
 */
export const MINIMUM_NODE = '22.19.0';

/** A message when `version` (e.g. process.versions.node) is older than MINIMUM_NODE, else null. */
export function nodeVersionProblem(version: string): string | null {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const have = parts(version);
  const need = parts(MINIMUM_NODE);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b)
      return a > b ? null : `fine-tune-watch needs Node.js ${MINIMUM_NODE} or newer; this is ${version}.`;
  }
  return null;
}
