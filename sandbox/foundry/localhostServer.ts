// An http server on localhost (IPv4, and IPv6 where the machine has it) for the Foundry stand-ins: one port, both families.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalhostServer {
  /** `http://localhost:<port>` */
  readonly url: string;
  readonly close: () => Promise<void>;
}

/** Serves `handle` on `port` (0: a free one); a handler that throws answers 500 with no detail. */
export async function listenOnLocalhost(port: number, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<LocalhostServer> {
  const servers: Server[] = [];
  const listen = (host: string, onPort: number) => new Promise<Server>((resolve, reject) => {
    const server = createServer((request, response) => {
      void handle(request, response).catch(() => {
        if (!response.headersSent) response.writeHead(500);
        response.end();
      });
    });
    server.once('error', reject);
    server.listen(onPort, host, () => resolve(server));
  });
  const first = await listen('127.0.0.1', port);
  servers.push(first);
  const chosen = (first.address() as AddressInfo).port;
  // `localhost` may resolve to ::1 first; answer there too where the machine has IPv6.
  await listen('::1', chosen).then((server) => servers.push(server), () => undefined);
  return {
    url: `http://localhost:${chosen}`,
    close: async () => {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })));
    },
  };
}
