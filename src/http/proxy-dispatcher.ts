/**
 * Requests through a proxy, with undici's public API: a ProxyAgent per proxy (CONNECT tunnels
 * for https targets, absolute-form requests for http ones) and a plain Agent for hosts that
 * bypass it. Loaded (with undici's whole entry) only when a proxy variable is set.
 */
import { Agent, Dispatcher, ProxyAgent } from 'undici';
import { proxyFor } from './proxy.js';

export class ProxyRouter extends Dispatcher {
  private readonly direct: Agent;
  private readonly viaProxy = new Map<string, ProxyAgent>();

  constructor(
    private readonly options: Agent.Options,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    super();
    this.direct = new Agent(options);
  }

  override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    const proxy = proxyFor(new URL(String(options.origin)), this.env);
    return (proxy ? this.agentFor(proxy) : this.direct).dispatch(options, handler);
  }

  override close(): Promise<void>;
  override close(callback: () => void): void;
  override close(callback?: () => void): Promise<void> | void {
    const closed = this.all((agent) => agent.close());
    if (!callback) return closed;
    void closed.then(callback);
  }

  override destroy(): Promise<void>;
  override destroy(error: Error | null): Promise<void>;
  override destroy(callback: () => void): void;
  override destroy(error: Error | null, callback: () => void): void;
  override destroy(first?: Error | null | (() => void), second?: () => void): Promise<void> | void {
    const error = typeof first === 'function' ? null : (first ?? null);
    const callback = typeof first === 'function' ? first : second;
    const destroyed = this.all((agent) => agent.destroy(error));
    if (!callback) return destroyed;
    void destroyed.then(callback);
  }

  private async all(act: (agent: Agent | ProxyAgent) => Promise<void>): Promise<void> {
    await Promise.all([act(this.direct), ...[...this.viaProxy.values()].map(act)]);
  }

  private agentFor(proxy: URL): ProxyAgent {
    let agent = this.viaProxy.get(proxy.href);
    if (!agent) {
      // HTTP/1.1 to the proxy too (client-h2-off.js): an https proxy could otherwise offer h2.
      agent = new ProxyAgent({ ...this.options, uri: proxy.href, proxyTls: { allowH2: false } });
      this.viaProxy.set(proxy.href, agent);
    }
    return agent;
  }
}
