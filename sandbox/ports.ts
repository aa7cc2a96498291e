// Dev ports: the one asked for, or a free one when it is taken (so two checkouts can run side by side).
import { createServer } from 'node:net';

export interface Bound<T> {
  readonly value: T;
  readonly port: number;
  /** The port asked for, when it was taken and another one is used instead. */
  readonly wanted?: number;
}

function inUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Starts something on `wanted`; if that port is taken, on a free one. `start(0)` must pick a free port. */
export async function startOnPort<T extends { readonly port: number }>(wanted: number, start: (port: number) => Promise<T>): Promise<Bound<T>> {
  try {
    const value = await start(wanted);
    return { value, port: value.port };
  } catch (error) {
    if (wanted === 0 || !inUse(error)) throw error;
    const value = await start(0);
    return { value, port: value.port, wanted };
  }
}

/** A port to hand to another process: `wanted` if nothing listens there on loopback now, else a free one. */
export async function choosePort(wanted: number): Promise<{ readonly port: number; readonly wanted?: number }> {
  const probe = (port: number) => new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : port));
    });
  });
  try {
    return { port: await probe(wanted) };
  } catch (error) {
    if (wanted === 0 || !inUse(error)) throw error;
    return { port: await probe(0), wanted };
  }
}
