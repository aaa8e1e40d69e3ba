/** Which provider route a request path names; the paths are each platform's real ones under its API root. */
import type { ProviderName, RouteName } from './types.js';

export interface RouteMatch {
  route: RouteName;
  jobId?: string;
}

const UNKNOWN: RouteMatch = { route: 'unknown' };

/** `path` is the request path as sent (still percent-encoded); `root` the path part of the base URL. */
export function matchRoute(provider: ProviderName, method: string, path: string, root: string): RouteMatch {
  if (!path.startsWith(`${root}/`)) return UNKNOWN;
  const rest = path.slice(root.length + 1);
  switch (provider) {
    case 'fireworks':
      return matchResourceName(method, rest, /^accounts\/[^/]+\/supervisedFineTuningJobs\/[^/]+$/);
    case 'vertex':
      return matchResourceName(method, rest, /^projects\/[^/]+\/locations\/[^/]+\/tuningJobs\/[^/]+$/);
    case 'bedrock':
      return matchBedrock(method, rest);
    case 'together':
      return matchJobCollection(method, rest, 'fine-tunes/', true);
    default:
      return matchJobCollection(method, rest, 'fine_tuning/jobs/', false);
  }
}

const SUBROUTES: Record<string, { route: RouteName; method: string }> = {
  '': { route: 'job', method: 'GET' },
  events: { route: 'events', method: 'GET' },
  checkpoints: { route: 'checkpoints', method: 'GET' },
  cancel: { route: 'cancel', method: 'POST' },
};

/** Together, OpenAI, Nebius and Azure: `<collection>{id}` and `<collection>{id}/<subroute>`. */
function matchJobCollection(
  method: string,
  rest: string,
  collection: string,
  hasMetrics: boolean,
): RouteMatch {
  if (!hasMetrics && method === 'GET' && rest === collection.slice(0, -1)) return { route: 'jobs' };
  if (!rest.startsWith(collection)) return UNKNOWN;
  const [rawId, sub = '', ...extra] = rest.slice(collection.length).split('/');
  if (!rawId || extra.length > 0) return UNKNOWN;
  const known =
    hasMetrics && sub === 'metrics' ? { route: 'metrics' as const, method: 'GET' } : SUBROUTES[sub];
  if (!known || known.method !== method) return UNKNOWN;
  const jobId = safeDecode(rawId);
  return jobId === undefined ? UNKNOWN : { route: known.route, jobId };
}

/**
 * Fireworks and Vertex name jobs like Google APIs do (AIP-122): the job id is the whole resource
 * name, `GET /{name}` reads it and `POST /{name}:cancel` is the custom cancel method. Clients
 * may percent-encode that colon, so segments are decoded before the verb is split off.
 */
function matchResourceName(method: string, rest: string, namePattern: RegExp): RouteMatch {
  const segments = rest.split('/').map(safeDecode);
  if (segments.some((segment) => segment === undefined || segment.includes('/'))) return UNKNOWN;
  const last = (segments.pop() ?? '') as string;
  const colon = last.indexOf(':');
  const [id, verb] = colon < 0 ? [last, undefined] : [last.slice(0, colon), last.slice(colon + 1)];
  const name = [...segments, id].join('/');
  if (!id || !namePattern.test(name)) return UNKNOWN;
  if (verb === undefined && method === 'GET') return { route: 'job', jobId: name };
  if (verb === 'cancel' && method === 'POST') return { route: 'cancel', jobId: name };
  return UNKNOWN;
}

/**
 * Bedrock: `GET /model-customization-jobs/{jobIdentifier}` and `POST …/{jobIdentifier}/stop`. An ARN
 * travels as one segment (`:` → %3A, `/` → %2F); sent unencoded it spans several segments and,
 * as on the real API, names no route.
 */
function matchBedrock(method: string, rest: string): RouteMatch {
  const [collection, rawId, sub, ...extra] = rest.split('/');
  if (collection !== 'model-customization-jobs' || !rawId || extra.length > 0) return UNKNOWN;
  const jobId = safeDecode(rawId);
  if (jobId === undefined) return UNKNOWN;
  if (sub === undefined && method === 'GET') return { route: 'job', jobId };
  if (sub === 'stop' && method === 'POST') return { route: 'cancel', jobId };
  return UNKNOWN;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
