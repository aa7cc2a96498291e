// What a misbehaving Graph can send, for the local Graph to play back when a test asks (never reachable by configuration),
// and a stand-in for "another host" that records who reached it.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenHttps, type RunningServer } from '../httpsServer.js';
import type { TlsMaterial } from '../tls.js';

/**
 * A planned answer the local Graph sends instead of its own, after the token check (so it is recorded
 * with the caller): `times` matching requests get it (every one when absent).
 */
export interface HostileReply {
  /** Matched against the path after `/v1.0`; every path when absent. */
  readonly path?: RegExp;
  /** Requests still to answer this way; decremented on each, ignored once 0. */
  times?: number;
  /** The status line it sends, for the local Graph's request record. */
  readonly status: number;
  /** Writes the whole answer. `url` is the request's, resolved against the local Graph's base. */
  send(response: ServerResponse, url: URL): void;
  /** Body bytes written so far (the answers that stream). */
  readonly written?: () => number;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** A redirect to `location` (a string sent as is, or built from the request's URL). */
export function redirectReply(location: string | ((url: URL) => string), status = 302): HostileReply {
  return {
    status,
    send: (response, url) => {
      response.writeHead(status, { location: typeof location === 'string' ? location : location(url), 'content-length': '0' }).end();
    },
  };
}

/** A redirect with no Location at all. */
export function redirectWithoutLocation(status = 302): HostileReply {
  return { status, send: (response) => response.writeHead(status, { 'content-length': '0' }).end() };
}

export interface StreamOptions {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** Sent first (e.g. the start of a JSON document). */
  readonly prefix?: string;
  /** Body bytes after the prefix; endless (until the client goes away) when absent. */
  readonly bytes?: number;
  /** Pause between chunks; 0 streams as fast as the client reads. */
  readonly intervalMs?: number;
  /** Bytes per chunk (default 64 KiB). */
  readonly chunkBytes?: number;
}

/**
 * A body of `bytes` (or endless) generated as it is sent, never held whole, honouring backpressure: for
 * huge, slow (trickling) and lying (`content-length` in `headers`) answers.
 */
export function streamReply(options: StreamOptions = {}): HostileReply {
  let written = 0;
  const status = options.status ?? 200;
  return {
    status,
    written: () => written,
    send: (response) => {
      const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, 'a');
      let remaining = options.bytes ?? Number.POSITIVE_INFINITY;
      let closed = false;
      response.on('close', () => { closed = true; });
      response.writeHead(status, { ...JSON_TYPE, ...options.headers });
      if (options.prefix !== undefined) {
        response.write(options.prefix);
        written += Buffer.byteLength(options.prefix);
      }
      const pump = (): void => {
        while (!closed && remaining > 0) {
          const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
          remaining -= piece.length;
          written += piece.length;
          const more = response.write(piece);
          if (options.intervalMs !== undefined && options.intervalMs > 0) {
            setTimeout(pump, options.intervalMs).unref();
            return;
          }
          if (!more) {
            response.once('drain', pump);
            return;
          }
        }
        if (!closed) response.end();
      };
      pump();
    },
  };
}

/** A JSON answer sent as given: malformed text, or any document. */
export function rawReply(status: number, body: string, headers: Record<string, string> = {}): HostileReply {
  return { status, send: (response) => response.writeHead(status, { ...JSON_TYPE, ...headers }).end(body) };
}

/** A Graph error whose message is `messageChars` long. */
export function hugeErrorReply(status: number, messageChars: number): HostileReply {
  const body = JSON.stringify({ error: { code: 'BadRequest', message: 'x'.repeat(messageChars), innerError: { 'request-id': 'hostile' } } });
  return rawReply(status, body);
}

export interface ForeignRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface ForeignHost extends RunningServer {
  /** Every request that reached it. */
  readonly requests: ForeignRequest[];
  /** What it answers (default 200 with a small JSON profile). */
  answer: (request: IncomingMessage, response: ServerResponse) => void;
}

const defaultAnswer = (_request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, JSON_TYPE).end(JSON.stringify({ displayName: 'another host' }));
};

/**
 * Another origin (a download host, or anywhere a redirect may point), over https or plain http, recording
 * each request's `Authorization` header: the receiving end of the no-token-off-Graph guarantee.
 */
export async function startForeignHost(options: { readonly tls: TlsMaterial; readonly protocol?: 'https' | 'http' }): Promise<ForeignHost> {
  const requests: ForeignRequest[] = [];
  const host = {
    requests,
    answer: defaultAnswer,
  };
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', authorization: request.headers.authorization });
    host.answer(request, response);
  };
  if (options.protocol === 'http') {
    const server = createHttpServer(listener);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return Object.assign(host, {
      url: `http://localhost:${port}`,
      port,
      close: () => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    });
  }
  return Object.assign(host, await listenHttps(options.tls, 0, listener));
}
