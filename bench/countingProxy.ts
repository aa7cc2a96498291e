// A pass-through HTTP proxy in front of Azurite that counts requests: Table operations, without touching production code.
import { Agent, createServer, request as forward } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingProxy {
  readonly port: number;
  /** Requests forwarded so far (one per Table operation; a batch counts once). */
  readonly count: number;
  close(): Promise<void>;
}

export async function startCountingProxy(targetPort: number): Promise<CountingProxy> {
  let count = 0;
  const agent = new Agent({ keepAlive: true });
  const server = createServer((request, response) => {
    count++;
    const upstream = forward({ host: '127.0.0.1', port: targetPort, method: request.method, path: request.url, headers: request.headers, agent }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.on('error', () => {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    get count() {
      return count;
    },
    close: () => new Promise((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
