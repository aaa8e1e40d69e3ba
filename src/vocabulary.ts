import type { Input } from './constants.js';

/**
 * How messages name what a person can change. In a workflow that is an input (`base-url`); on a
 * command line a flag (--base-url), or the FTW_* variable the value came from. The checks and
 * errors are the same for both; only the words differ.
 */
export interface Vocabulary {
  /** An input, referred to: "`base-url`", "--base-url", "FTW_BASE_URL". */
  name(input: Input): string;
  /** An input as a sentence's subject: "Input `wait`", "--wait", "FTW_WAIT". */
  subject(input: Input): string;
  /** Where a key for a platform can be given: `variable` is the platform's own variable. */
  keySources(variable: string): string;
}

export const workflowVocabulary: Vocabulary = {
  name: (input) => `\`${input}\``,
  subject: (input) => `Input \`${input}\``,
  keySources: (variable) =>
    `the \`api-key\` input (e.g. \`api-key: \${{ secrets.${variable} }}\`) or the ${variable} environment variable`,
};
