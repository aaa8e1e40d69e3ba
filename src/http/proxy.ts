/**
 * Which proxy a request goes through, by the rules of @actions/http-client (what GitHub's own
 * actions and Octokit follow), so the action behaves as every other step on the runner:
 * `https_proxy`/`HTTPS_PROXY` for https, `http_proxy`/`HTTP_PROXY` for http (lower case first);
 * none for loopback hosts, nor for a host that `no_proxy`/`NO_PROXY` names: `*`, the host, the
 * host with its port, a domain it ends in (with or without a leading dot).
 */

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'] as const;

/** Whether any proxy variable is set: without one nothing about proxies is loaded at all. */
export function proxyConfigured(env: NodeJS.ProcessEnv): boolean {
  return PROXY_VARIABLES.some((name) => Boolean(env[name]));
}

/** The proxy for `url`, or null to connect directly. */
export function proxyFor(url: URL, env: NodeJS.ProcessEnv): URL | null {
  if (bypassesProxy(url, env)) return null;
  const value =
    url.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!value) return null;
  try {
    return new URL(value);
  } catch {
    // `proxy.example.com:3128` without a scheme means http.
    if (value.startsWith('http://') || value.startsWith('https://')) return null;
    try {
      return new URL(`http://${value}`);
    } catch {
      return null;
    }
  }
}

export function bypassesProxy(url: URL, env: NodeJS.ProcessEnv): boolean {
  const host = url.hostname;
  if (!host) return false;
  if (isLoopback(host)) return true;
  const noProxy = env.no_proxy || env.NO_PROXY || '';
  if (!noProxy) return false;
  const port = url.port
    ? Number(url.port)
    : url.protocol === 'http:'
      ? 80
      : url.protocol === 'https:'
        ? 443
        : null;
  const hosts = [host.toUpperCase()];
  if (port !== null) hosts.push(`${hosts[0]}:${port}`);
  return noProxy
    .split(',')
    .map((item) => item.trim().toUpperCase())
    .filter((item) => item !== '')
    .some(
      (item) =>
        item === '*' ||
        hosts.some(
          (candidate) =>
            candidate === item ||
            candidate.endsWith(`.${item}`) ||
            (item.startsWith('.') && candidate.endsWith(item)),
        ),
    );
}

function isLoopback(host: string): boolean {
  const lower = host.toLowerCase();
  return (
    lower === 'localhost' ||
    lower.startsWith('127.') ||
    lower.startsWith('[::1]') ||
    lower.startsWith('[0:0:0:0:0:0:0:1]')
  );
}
