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

/** A fixture JSON object without its `_source` note. */
function readJson<T>(name: string): T {
  const { _source, ...data } = JSON.parse(read(name)) as Record<string, unknown>;
  return data as T;
}

export interface AzureEventFixture {
  id: string;
  created_at: number;
  level: string;
  message: string;
  type: string;
  data?: Record<string, number>;
}

export interface AzureCheckpointFixture {
  id: string;
  created_at: number;
  fine_tuned_model_checkpoint: string;
  metrics: Record<string, number>;
  step_number: number;
}

/** The Azure tutorial's job right after create (status `pending`), without `_source`. */
export function azureTutorialJob(): Record<string, unknown> {
  return readJson('azure-tutorial-job.json');
}

/** The Azure tutorial's last 10 events, oldest first (the API listed them newest first). */
export function azureTutorialEvents(): AzureEventFixture[] {
  return readJson<{ data: AzureEventFixture[] }>('azure-tutorial-events.json').data.toReversed();
}

/** The Azure tutorial's 3 checkpoints (steps 80, 90, 100), oldest first. */
export function azureTutorialCheckpoints(): AzureCheckpointFixture[] {
  return readJson<{ data: AzureCheckpointFixture[] }>('azure-tutorial-checkpoints.json').data.toReversed();
}

/** The messages of the Azure spec's events example, oldest first ("Job enqueued. …", "Job started.", …). */
export function azureSpecEventMessages(): string[] {
  return readJson<{ data: { message: string }[] }>('azure-spec-events.json').data.map((e) => e.message);
}
