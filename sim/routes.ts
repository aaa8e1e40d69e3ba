/** Which provider route a request path names; the paths are each provider's real ones under /v1. */
import type { ProviderName, RouteName } from './types.js';

export interface RouteMatch {
  route: RouteName;
  jobId?: string;
}

const PREFIX: Record<ProviderName, string> = {
  together: '/v1/fine-tunes/',
  openai: '/v1/fine_tuning/jobs/',
  nebius: '/v1/fine_tuning/jobs/',
};

const SUBROUTES: Record<string, { route: RouteName; method: string }> = {
  '': { route: 'job', method: 'GET' },
  events: { route: 'events', method: 'GET' },
  checkpoints: { route: 'checkpoints', method: 'GET' },
  cancel: { route: 'cancel', method: 'POST' },
};

export function matchRoute(provider: ProviderName, method: string, path: string): RouteMatch {
  const prefix = PREFIX[provider];
  if (!path.startsWith(prefix)) return { route: 'unknown' };
  const [rawId, sub = '', ...rest] = path.slice(prefix.length).split('/');
  if (!rawId || rest.length > 0) return { route: 'unknown' };
  const known =
    provider === 'together' && sub === 'metrics'
      ? { route: 'metrics' as const, method: 'GET' }
      : SUBROUTES[sub];
  if (!known || known.method !== method) return { route: 'unknown' };
  const jobId = safeDecode(rawId);
  return jobId === undefined ? { route: 'unknown' } : { route: known.route, jobId };
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
