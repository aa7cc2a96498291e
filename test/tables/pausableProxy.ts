// A TCP proxy in front of Table Storage that can be paused: it keeps accepting connections and requests, and answers nothing.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface PausableProxy {
  readonly port: number;
  /** From now on, bytes in either direction are held: storage that hangs rather than refuses. */
  pause(): void;
  /** Delivers what was held, in order, and forwards again. */
  resume(): void;
  close(): Promise<void>;
}

export async function startPausableProxy(target: { readonly host: string; readonly port: number }): Promise<PausableProxy> {
  let paused = false;
  let held: (() => void)[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      const send = () => {
        if (!to.destroyed) to.write(chunk);
      };
      if (paused) held.push(send);
      else send();
    });
    from.on('close', () => to.destroy());
  };
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    track(client);
    track(upstream);
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    pause: () => {
      paused = true;
    },
    resume: () => {
      const queue = held;
      held = [];
      paused = false;
      for (const send of queue) send();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
