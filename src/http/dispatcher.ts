import type { Dispatcher } from 'undici';
import { proxyConfigured } from './proxy.js';
import { Agent } from './undici-lite.js';

export type AgentOptions = ConstructorParameters<typeof Agent>[0];

/**
 * The connection pool: undici's Agent, or, when a proxy variable is set, a router that sends
 * each request through its proxy (proxy-dispatcher.ts, loaded only then: without a proxy the
 * action loads nothing more than before).
 */
export async function createDispatcher(options: AgentOptions, env: NodeJS.ProcessEnv): Promise<Dispatcher> {
  if (!proxyConfigured(env)) return new Agent(options);
  const { ProxyRouter } = await import('./proxy-dispatcher.js');
  return new ProxyRouter(options ?? {}, env);
}
