/**
 * A forward proxy on 127.0.0.1, as a company network has one: CONNECT tunnels for https targets,
 * absolute-form requests (`GET http://host/path`) for http ones. Host names in `hosts` resolve
 * only here, so a request that reaches them went through the proxy.
 */
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

export interface ProxyRecord {
  method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  target: string;
}

export interface TestProxy {
  url: string;
  port: number;
  records: ProxyRecord[];
  close(): Promise<void>;
}

/** `hosts`: name → the loopback port it stands for (the name is reachable through the proxy only). */
export async function startProxy(hosts: Record<string, number>): Promise<TestProxy> {
  const records: ProxyRecord[] = [];
  // Tunnels are sockets the server no longer tracks: closed with it all the same.
  const tunnels = new Set<import('node:stream').Duplex>();
  const portOf = (host: string, fallback: number) =>
    hosts[host] ?? (host === '127.0.0.1' ? fallback : undefined);
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '');
    records.push({ method: req.method ?? '', target: target.href });
    const port = portOf(target.hostname, Number(target.port || 80));
    if (port === undefined) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: unknown host ${target.hostname}`);
      return;
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    const [host = '', portText = '443'] = (req.url ?? '').split(':');
    records.push({ method: 'CONNECT', target: req.url ?? '' });
    const port = portOf(host, Number(portText));
    if (port === undefined) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
