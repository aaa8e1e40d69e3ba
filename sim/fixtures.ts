/** Readers for the real provider logs copied into sim/fixtures/ (sources named inside each file). */
import { readFileSync } from 'node:fs';

function read(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Lines that are neither blank nor `#` comments (the comments carry the source). */
function dataLines(name: string): string[] {
  return read(name)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** The 15 event messages of the Together quickstart, oldest first. */
export function togetherQuickstartMessages(): string[] {
  return dataLines('together-quickstart-events.txt');
}

/** The last 20 event messages of the OpenAI cookbook job, oldest first. */
export function openaiCookbookMessages(): string[] {
  return dataLines('openai-cookbook-events.txt');
}

export interface NebiusLogLine {
  createdAt: number;
  level: string;
  message: string;
}

/** The 4 events of the real Nebius run, in the order the API returned them (oldest first). */
export function nebiusCookbookEvents(): NebiusLogLine[] {
  return dataLines('nebius-cookbook-events.txt').map((line) => {
    const match = /^\[(\d+)\] (\w+): (.*)$/.exec(line);
    if (!match) throw new Error(`unexpected line in nebius-cookbook-events.txt: ${line}`);
    return { createdAt: Number(match[1]), level: match[2] ?? '', message: match[3] ?? '' };
  });
}

/** The real 2023 Together event (UPPERCASE type, empty level and hash), without `_source`. */
export function togetherEvent2023(): Record<string, unknown> {
  const { _source, ...event } = JSON.parse(read('together-event-2023.json')) as Record<string, unknown>;
  return event;
}

/** The documented sample of Together's /metrics reply, without `_source`. */
export function togetherMetricsSample(): Record<string, number>[] {
  const parsed = JSON.parse(read('together-metrics.json')) as { metrics: Record<string, number>[] };
  return parsed.metrics;
}
