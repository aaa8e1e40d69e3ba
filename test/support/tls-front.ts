/**
 * An https server that serves what a plain http server behind it answers, with the certificate
 * test/fixtures/tls/make.sh made: signed by a test CA that Node trusts only through
 * NODE_EXTRA_CA_CERTS (for 127.0.0.1, localhost and api.fine-tune-watch.test). With
 * `offerHttp2`, it is an HTTP/2 server that also speaks HTTP/1.1, as the providers' fronts are,
 * and ALPN lets the client choose.
 */
import { readFileSync } from 'node:fs';
import { type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TEST_CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.pem', import.meta.url));
const tls = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');

export interface TlsFront {
  port: number;
  /** The HTTP version of each request, in order ('1.1', '2.0'). */
  versions: string[];
  close(): Promise<void>;
}

export async function startTlsFront(
  backendPort: number,
  options: { offerHttp2?: boolean } = {},
): Promise<TlsFront> {
  const versions: string[] = [];
  const forward = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    versions.push(req.httpVersion);
    // HTTP/2's pseudo-headers (:path, …) and connection headers do not travel to HTTP/1.1.
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => !name.startsWith(':') && name !== 'connection'),
    );
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers },
      (answer) => {
        const { connection: _, 'keep-alive': __, 'transfer-encoding': ___, ...passed } = answer.headers;
        // Both servers' responses take this call; their overloads only differ in what else they take.
        (res as ServerResponse).writeHead(answer.statusCode ?? 502, passed);
        answer.pipe(res as NodeJS.WritableStream);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const credentials = { key: tls('server.key'), cert: tls('server.pem') };
  const server = options.offerHttp2
    ? createSecureServer({ ...credentials, allowHTTP1: true }, forward)
    : createServer(credentials, forward);
  const sockets = new Set<import('node:net').Socket>();
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    versions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
