// Serves a fetch-style handler (Request → Response) on node:http, bound to loopback: the local host's and the bench's plumbing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { RunningServer } from './httpsServer.js';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface ServeFetchOptions {
  readonly port?: number;
  readonly host?: string;
}

function toRequest(request: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  return new Request(new URL(request.url ?? '/', base), {
    method: request.method ?? 'GET',
    headers,
    ...(hasBody && { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' }),
  });
}

async function send(request: IncomingMessage, response: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string> = {};
  // Answered before the body was read (a 413, say): the rest of it must not be taken for the next request.
  if (!request.complete) headers['connection'] = 'close';
  answer.headers.forEach((value, name) => { headers[name] = value; });
  response.writeHead(answer.status, headers);
  response.end(answer.body === null ? undefined : Buffer.from(await answer.arrayBuffer()));
}

export async function serveFetch(handler: FetchHandler, options: ServeFetchOptions = {}): Promise<RunningServer> {
  // Entra tokens can be large; the Functions host allows 32 KiB of headers, so must we.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    const base = `http://${request.headers.host ?? 'localhost'}`;
    Promise.resolve()
      .then(() => handler(toRequest(request, base)))
      .then((answer) => send(request, response, answer))
      .catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://localhost:${port}`,
    port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
