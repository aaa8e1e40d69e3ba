import type { JobState } from './model.js';

/** A platform's statuses, lower-cased, in our words. */
export type StatusTable = Readonly<Record<string, JobState>>;

/** Maps a provider status to our state, case-insensitively; unknown statuses count as running. */
export function classifyStatus(table: StatusTable, status: string): { state: JobState; known: boolean } {
  const key = status.trim().toLowerCase();
  const state = Object.hasOwn(table, key) ? table[key] : undefined;
  return state ? { state, known: true } : { state: 'running', known: false };
}

export const isFinal = (state: JobState): boolean => state !== 'running';
