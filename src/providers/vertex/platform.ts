/**
 * Google Vertex AI tuning jobs, named `projects/<project>/locations/<location>/tuningJobs/<id>`.
 * Requests carry an OAuth2 token from Application Default Credentials (the file that
 * google-github-actions/auth writes), scope cloud-platform.
 */
import { Input } from '../../constants.js';
import type { JobRef } from '../../model.js';
import { googleErrorDetail } from '../google-errors.js';
import { withoutTrailingSlash } from '../key-platforms.js';
import type { Platform, Problem, SettingsContext } from '../provider.js';
import { VERTEX_STATUSES, VertexProvider } from './vertex.js';

const JOB_NAME = /^projects\/([^/\s]+)\/locations\/([^/\s]+)\/tuningJobs\/[^/\s]+$/;

/** The project and location a job's name holds. */
export function partsOf(jobId: string): { project: string; location: string } | null {
  const match = JOB_NAME.exec(jobId);
  return match ? { project: match[1] as string, location: match[2] as string } : null;
}

/** Where Google serves a location: `<location>-aiplatform.googleapis.com`, or the global host. */
function resolveBaseUrl(given: URL | null, { jobId, vocabulary }: SettingsContext): string | Problem {
  if (given !== null) {
    if (given.search)
      return { problem: `${vocabulary.subject(Input.BaseUrl)} must be an API root without a query.` };
    return withoutTrailingSlash(given.href);
  }
  const location = partsOf(jobId)?.location ?? 'us-central1';
  return location === 'global'
    ? 'https://aiplatform.googleapis.com/v1'
    : `https://${location}-aiplatform.googleapis.com/v1`;
}

function credentialsRefused(where: string, ref: JobRef): string {
  const permission = /Permission '([\w.]+)'/.exec(where)?.[1] ?? 'aiplatform.tuningJobs.get';
  const project = partsOf(ref.jobId)?.project ?? 'the job’s project';
  return `Google refused the request for job ${ref.jobId} (${where}). The identity google-github-actions/auth set up needs ${permission} on project ${project} (the role Vertex AI User, roles/aiplatform.user, has it, and aiplatform.tuningJobs.cancel).`;
}

export const vertex: Platform = {
  name: 'vertex',
  displayName: 'Vertex AI',
  jobIdForm: '`projects/<project>/locations/<location>/tuningJobs/<id>`',
  keyVariable: null,
  defaultBaseUrl: null,
  statuses: VERTEX_STATUSES,
  checkJobId: (jobId) =>
    JOB_NAME.test(jobId)
      ? null
      : `must be the tuning job's full name, \`projects/<project>/locations/<location>/tuningJobs/<id>\`, got ${JSON.stringify(jobId.slice(0, 120))}.`,
  resolveBaseUrl,
  auth: async (settings, env) => {
    // google-auth-library is loaded here, and only here: other platforms never parse it.
    const { adcAuth } = await import('./adc.js');
    return adcAuth(partsOf(settings.jobId)?.project ?? null, env);
  },
  credentialsRefused: (where, ref) => credentialsRefused(where, ref),
  errorDetail: googleErrorDetail,
  dashboardUrl: (ref) => {
    const parts = partsOf(ref.jobId);
    const id = ref.jobId.split('/').at(-1) ?? '';
    return parts && ref.baseUrl.endsWith('aiplatform.googleapis.com/v1')
      ? `https://console.cloud.google.com/vertex-ai/generative/language/locations/${encodeURIComponent(parts.location)}/tuning/tuningJob/${encodeURIComponent(id)}?project=${encodeURIComponent(parts.project)}`
      : null;
  },
  create: (ref, client) => new VertexProvider(ref, client),
};
