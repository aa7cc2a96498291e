// Serves a fetch-style handler (Request → Response) on node:http, bound to loopback: the local host's and the bench's plumbing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { HttpError } from '../shared/http/httpError.js';
import { httpErrorResponse } from '../shared/http/jsonRpcError.js';
import { parseHost } from '../shared/http/requestGuard.js';
import { responseBytes } from '../shared/http/responseBytes.js';
import type { RunningServer } from './httpsServer.js';

export type FetchHandler = (request: Request) => Promise<Response>;

export interface ServeFetchOptions {
  readonly port?: number;
  readonly host?: string;
  /** The `Allow` value of a path, for a method a fetch Request cannot carry; undefined: no such path (404). */
  readonly allow?: (pathname: string) => string | undefined;
}

const INTERNAL_ERROR = JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error', data: { code: 'internal_error' } }, id: null });
// The Request constructor throws on these (fetch forbids them), so they never reach a handler.
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** The fetch Request for `request`, or the HttpError that refuses it before any handler runs. */
function toRequest(request: IncomingMessage, options: ServeFetchOptions): Request | HttpError {
  const target = request.url ?? '/';
  // Origin-form only. An absolute-form target (`POST http://evil.example/mcp`) names an authority that
  // nothing checked; only proxies are sent those. Built by concatenation, never by resolving the target
  // against a base, where `//evil.example/mcp` would be read as another authority.
  if (!target.startsWith('/')) return new HttpError('request_target_invalid', 'The request target must be a path, not an absolute URL or *');
  const host = request.headers.host ?? 'localhost';
  if (parseHost(host) === undefined) return new HttpError('host_invalid', 'The Host header is not a host name with an optional port');
  let url: URL;
  try {
    url = new URL(`http://${host}${target}`);
  } catch {
    return new HttpError('request_target_invalid', 'The request target is not a valid path');
  }
  const method = request.method ?? 'GET';
  if (FORBIDDEN_METHODS.has(method.toUpperCase())) {
    const allow = options.allow === undefined ? 'GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH' : options.allow(url.pathname);
    if (allow === undefined) return new HttpError('not_found', 'There is nothing at this path');
    return new HttpError('method_not_allowed', `${method} is not supported`, { headers: { allow } });
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // As Azure's front end does: the peer's address goes last in X-Forwarded-For, after whatever the client wrote.
  const peer = request.socket.remoteAddress;
  if (peer !== undefined) {
    const forwarded = headers.get('x-forwarded-for');
    headers.set('x-forwarded-for', forwarded === null ? peer : `${forwarded}, ${peer}`);
  }
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    ...(hasBody && { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' }),
  });
}

async function send(request: IncomingMessage, response: ServerResponse, answer: Response): Promise<void> {
  const headers: Record<string, string> = {};
  // Answered before the body was read (a 413, say): the rest of it must not be taken for the next request.
  if (!request.complete) headers['connection'] = 'close';
  answer.headers.forEach((value, name) => { headers[name] = value; });
  // The whole body is in hand before anything is written: sent with its length, as the Functions host sends it,
  // not in chunks.
  const body = await responseBytes(answer);
  if (body !== undefined) headers['content-length'] = String(body.byteLength);
  response.writeHead(answer.status, headers);
  response.end(body);
}

/** The last resort when answering itself failed: a bare 500 if nothing was sent yet, else a cut connection. */
function fail(response: ServerResponse): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(500, { 'content-type': 'application/json', connection: 'close' }).end(INTERNAL_ERROR);
}

export async function serveFetch(handler: FetchHandler, options: ServeFetchOptions = {}): Promise<RunningServer> {
  // Entra tokens can be large; the Functions host allows 32 KiB of headers, so must we.
  const server = createServer({ maxHeaderSize: 64 * 1024 }, (request, response) => {
    Promise.resolve()
      .then(() => {
        const built = toRequest(request, options);
        return built instanceof HttpError ? httpErrorResponse(built) : handler(built);
      })
      .then((answer) => send(request, response, answer))
      .catch(() => fail(response));
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
