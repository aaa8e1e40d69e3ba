/** Writing replies, and the faults that bend them: what a flaky network or proxy does to a client. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Fault, Reply } from './types.js';

interface Wire {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function toWire(reply: Reply): Wire {
  const body = Buffer.from(JSON.stringify(reply.body));
  return {
    status: reply.status,
    headers: { 'content-type': 'application/json', ...reply.headers },
    body,
  };
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** The wire form of faults that replace the reply outright (the handler never runs for them). */
function replacement(fault: Fault): Wire | undefined {
  if (fault.kind === 'status') {
    const text = fault.body ?? JSON.stringify({ error: { message: `Simulated HTTP ${fault.status}` } });
    const type = looksLikeJson(text) ? 'application/json' : 'text/plain; charset=utf-8';
    return {
      status: fault.status,
      headers: { 'content-type': type, ...fault.headers },
      body: Buffer.from(text),
    };
  }
  if (fault.kind === 'raw') {
    return {
      status: fault.status ?? 200,
      headers: { 'content-type': fault.contentType ?? 'application/json' },
      body: Buffer.from(fault.body),
    };
  }
  return undefined;
}

/**
 * Sends `compute()` (or what `fault` makes of it) and returns the status written, or undefined
 * when the connection was dropped. `compute` runs only when the server would really have handled
 * the request, so a replaced or reset request does not move the scenario on.
 */
export function respond(
  req: IncomingMessage,
  res: ServerResponse,
  compute: () => Reply,
  fault: Fault | undefined,
): number | undefined {
  if (fault?.kind === 'write') {
    fault.write(res, req);
    return res.statusCode;
  }
  if (fault?.kind === 'reset') {
    req.socket.destroy();
    return undefined;
  }
  const replaced = fault ? replacement(fault) : undefined;
  const wire = replaced ?? toWire(compute());
  if (fault?.kind === 'reset-mid-body') {
    // Headers promise the whole body; half of it arrives, then the socket dies.
    res.writeHead(wire.status, { ...wire.headers, 'content-length': String(wire.body.length) });
    res.write(wire.body.subarray(0, Math.floor(wire.body.length / 2)), () => req.socket.destroy());
    return wire.status;
  }
  if (fault?.kind === 'truncate') {
    // A complete, well-formed HTTP response whose JSON body is cut in half.
    const half = wire.body.subarray(0, Math.floor(wire.body.length / 2));
    res.writeHead(200, { ...wire.headers, 'content-length': String(half.length) });
    res.end(half);
    return 200;
  }
  res.writeHead(wire.status, { ...wire.headers, 'content-length': String(wire.body.length) });
  res.end(wire.body);
  return wire.status;
}
