import type { FtEvent } from './model.js';

/**
 * An event as the outside sees it: a line of events-file, and the CLI's `--json` event records
 * (with `kind` added). `id`, `data` and `model_path` appear only where the provider gave them.
 */
export function eventRecord(event: FtEvent): Record<string, unknown> {
  const record: Record<string, unknown> = {
    created_at: event.createdAt,
    level: event.level,
    type: event.type,
    message: event.message,
  };
  if (event.id !== null) record.id = event.id;
  if (event.data !== null) record.data = event.data;
  if (event.modelPath !== null) record.model_path = event.modelPath;
  return record;
}
