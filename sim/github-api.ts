/**
 * A loopback fake of the GitHub REST issue-comments API, enough for the action's sticky
 * pull-request comment: list (paginated with Link headers, as Octokit's paginate expects),
 * create and update. It records every request so tests can check create-then-update.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string };
}

export interface GitHubRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeGitHubOptions {
  /** Answer writes (POST/PATCH) with this status, e.g. 403 for a fork's read-only token. */
  denyWrites?: number;
  /** Comments already on the pull request. */
  comments?: string[];
}

export interface FakeGitHub {
  apiUrl: string;
  requests: GitHubRequest[];
  comments: FakeComment[];
  close(): Promise<void>;
}

// GitHub Enterprise Server serves the same routes under /api/v3.
const LIST = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const ONE = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const requests: GitHubRequest[] = [];
  const comments: FakeComment[] = (options.comments ?? []).map((body, index) => ({
    id: 1000 + index,
    body,
    user: { login: 'someone' },
  }));
  let nextId = 5000;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readJson(req);
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
    });
    const list = LIST.exec(url.pathname);
    const one = ONE.exec(url.pathname);
    const write = req.method === 'POST' || req.method === 'PATCH';
    if (write && options.denyWrites) {
      return send(res, options.denyWrites, { message: 'Resource not accessible by integration' });
    }
    if (list && req.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = comments.slice((page - 1) * perPage, page * perPage);
      const headers: Record<string, string> = {};
      if (page * perPage < comments.length) {
        const next = new URL(`http://${req.headers.host}${url.pathname}`);
        next.searchParams.set('per_page', String(perPage));
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next.toString()}>; rel="next"`;
      }
      return send(res, 200, slice, headers);
    }
    if (list && req.method === 'POST') {
      const comment = {
        id: nextId++,
        body: String((body as { body?: unknown }).body ?? ''),
        user: { login: 'github-actions[bot]' },
      };
      comments.push(comment);
      return send(res, 201, comment);
    }
    if (one && req.method === 'PATCH') {
      const comment = comments.find((candidate) => candidate.id === Number(one[3]));
      if (!comment) return send(res, 404, { message: 'Not Found' });
      comment.body = String((body as { body?: unknown }).body ?? '');
      return send(res, 200, comment);
    }
    send(res, 404, { message: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    requests,
    comments,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
