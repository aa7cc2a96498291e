// A loopback proxy that adds a bearer token to every request it forwards: the conformance suite sends no
// credentials of its own, and our server answers nothing without them.
import { createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuthenticatingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` (`http://127.0.0.1:<port>`) as it came, `Host` and `Origin` included
 * (the suite's DNS-rebinding checks depend on them), with `Authorization: Bearer <token>` added where the
 * request carries none.
 */
export async function startAuthenticatingProxy(target: URL, token: string): Promise<AuthenticatingProxy> {
  const server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers };
    headers.authorization ??= `Bearer ${token}`;
    const upstream = forward({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end();
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
