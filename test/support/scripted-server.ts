import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Reply = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * A loopback HTTP server answering each request with the next reply of a script (the last
 * one repeats), recording what it was asked. For tests of one client behaviour at a time.
 */
export async function scriptedServer(replies: Reply[]) {
  const requests: {
    method: string;
    url: string;
    headers: IncomingMessage['headers'];
    at: number;
  }[] = [];
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      at: Date.now(),
    });
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)] as Reply;
    req.resume();
    reply(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

export const reset: Reply = (req) => req.socket.destroy();

export const silent: Reply = () => {
  /* never answers */
};
