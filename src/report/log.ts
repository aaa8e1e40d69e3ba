/**
 * Where a run's own lines go. The action writes to the workflow log (WorkflowLog); other
 * front ends, such as a terminal, provide their own. Every method may receive provider text.
 */
export interface Log {
  line(text: string): void;
  lines(texts: readonly string[]): void;
  /** A problem of the run itself (a retry that keeps failing, an unknown status, …). */
  warning(text: string): void;
  /** A provider event of warning level. */
  eventWarning(message: string, title: string): void;
  /** A provider event of error level. */
  eventError(message: string, title: string): void;
}
