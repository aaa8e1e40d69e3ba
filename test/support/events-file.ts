import { existsSync, readFileSync } from 'node:fs';

export interface EventLine {
  created_at: string;
  level: string;
  type: string;
  message: string;
  id?: string;
  data?: Record<string, unknown>;
  /** In a step watching several jobs: the job the event is of. */
  job_id?: string;
}

/** The events-file the action wrote, parsed line by line; [] when there is none. */
export function readEvents(file: string | undefined): EventLine[] {
  if (!file || !existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text === ''
    ? []
    : text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as EventLine);
}
