// Serves a fetch-style handler (Request → Response) on node:http, converting as test/support/localHost.ts does.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface ServedHandler {
  readonly port: number;
  close(): Promise<void>;
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
  if (!request.complete) headers['connection'] = 'close';
  answer.headers.forEach((value, name) => { headers[name] = value; });
  response.writeHead(answer.status, headers);
  response.end(answer.body === null ? undefined : Buffer.from(await answer.arrayBuffer()));
}

/** Listens on loopback only. */
export async function serveFetchHandler(handler: FetchHandler, port: number): Promise<ServedHandler> {
  const server = createServer((request, response) => {
    const base = `http://${request.headers.host ?? 'localhost'}`;
    Promise.resolve()
      .then(() => handler(toRequest(request, base)))
      .then((answer) => send(request, response, answer))
      .catch(() => response.writeHead(500).end());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
