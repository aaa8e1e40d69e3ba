import { setFailed } from './action/actions-core.js';
import { run } from './main.js';

run().catch((error: unknown) => {
  // Only a bug gets here: every expected failure is reported by run() itself.
  setFailed(
    `fine-tune-watch failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
});
