/**
 * The two pieces of undici this action uses: a keep-alive Agent and its request API.
 * undici's package entry loads everything it has (fetch, WebSocket, caches, mocks, interceptors),
 * which doubles the action's start-up for nothing; these modules are undici's own files, pinned
 * by the major version in package.json.
 */
import type { Dispatcher } from 'undici';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import apiRequest from 'undici/lib/api/api-request.js';

export const Agent = AgentClass;

export function request(
  dispatcher: Dispatcher,
  url: URL,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>,
): Promise<Dispatcher.ResponseData> {
  const { origin, pathname, search } = url;
  return apiRequest.call(dispatcher, { ...options, origin, path: `${pathname}${search}` });
}
