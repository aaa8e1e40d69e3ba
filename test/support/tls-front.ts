/**
 * An https server that serves what a plain http server behind it answers, with the certificate
 * test/fixtures/tls/make.sh made: signed by a test CA that Node trusts only through
 * NODE_EXTRA_CA_CERTS (for 127.0.0.1, localhost and api.fine-tune-watch.test).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TEST_CA_FILE = fileURLToPath(new URL('../fixtures/tls/ca.pem', import.meta.url));
const tls = (name: string) => readFileSync(new URL(`../fixtures/tls/${name}`, import.meta.url), 'utf8');

export async function startTlsFront(backendPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer({ key: tls('server.key'), cert: tls('server.pem') }, (req, res) => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
