// A reverse proxy on loopback that forwards to one port and appends the address it was connected from to X-Forwarded-For, as Front Door does.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardingProxy {
  readonly port: number;
  close(): Promise<void>;
}

/** Forwards every request to 127.0.0.1:`targetPort`, headers and body as they came, X-Forwarded-For appended. */
export async function startForwardingProxy(targetPort: number): Promise<ForwardingProxy> {
  const server = createServer((incoming, outgoing) => {
    const headers = { ...incoming.headers };
    const peer = incoming.socket.remoteAddress ?? '';
    const written = incoming.headers['x-forwarded-for'];
    const forwarded = Array.isArray(written) ? written.join(', ') : written;
    headers['x-forwarded-for'] = forwarded === undefined ? peer : `${forwarded}, ${peer}`;
    const upstream = httpRequest({ host: '127.0.0.1', port: targetPort, method: incoming.method, path: incoming.url, headers, agent: false }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
