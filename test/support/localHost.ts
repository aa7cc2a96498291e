// The local host: a plain Node HTTP server serving the same routes and handlers as the Functions triggers.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { App } from '../../shared/mcp/createApp.js';
import { ROUTES } from '../../shared/mcp/routes.js';
import type { Logger } from '../../shared/log/logger.js';
import { silentLogger } from '../../shared/log/logger.js';
import type { RunningServer } from './httpsServer.js';

export interface LocalHostOptions {
  readonly port?: number;
  readonly host?: string;
  readonly log?: Logger;
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

export async function startLocalHost(app: App, options: LocalHostOptions = {}): Promise<RunningServer> {
  const log = options.log ?? silentLogger;
  const routes = new Map(ROUTES.map((route) => [`/${route.path}`, route]));
  // Entra tokens can be large; the Functions host allows 32 KiB of headers, so must we.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = routes.get(path);
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'not_found' }));
      return;
    }
    const base = `http://${request.headers.host ?? 'localhost'}`;
    Promise.resolve()
      .then(() => app[route.handler](toRequest(request, base), log))
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
