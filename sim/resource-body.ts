/** Job bodies of the platforms that serve protobuf resources (Fireworks, Bedrock, Vertex). */
import type { SimJob } from './job-state.js';

/**
 * `defaults`, then the scenario's fields, then `live` (id and status, which always win). Keys set to
 * undefined are left out, as proto3 JSON leaves out unset fields instead of writing null; a scenario
 * removes a default the same way. `created_at` only dates the job here: these platforms name their
 * creation time differently and render it from the job's start.
 */
export function resourceBody(
  job: SimJob,
  defaults: Record<string, unknown>,
  live: Record<string, unknown>,
): Record<string, unknown> {
  const { created_at: _start, ...fields } = job.fields;
  const body = { ...defaults, ...fields, ...live };
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}
