// Runs a server under test as a child process: waits for its ready message, exposes its pid, always stops it.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { deployedNodeOptions } from './deployedNodeOptions.js';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** The tail of what it printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  readonly name: string;
  readonly script: string;
  /** The whole environment of the child besides PATH and HOME: nothing leaks in from ours. */
  readonly env: Readonly<Record<string, string>>;
  readonly execArgv?: readonly string[];
  readonly readyTimeoutMs?: number;
}

const OUTPUT_TAIL = 8 * 1024;
/** BENCH_SERVER_EXEC_ARGV: Node options for every server the bench starts (e.g. --experimental-async-context-frame, --cpu-prof). */
const EXTRA_EXEC_ARGV = (process.env['BENCH_SERVER_EXEC_ARGV'] ?? '').split(' ').filter((word) => word !== '');

/** A TCP port free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts `script` with PORT set to a free port and resolves once it sends `{ ready: true }`. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env, PORT: String(port) };
  // Anchor and ours alike run as deployed: the same heap sizes, whatever the machine's memory would make them.
  const child = fork(options.script, [], { env, execArgv: [...deployedNodeOptions(), ...(options.execArgv ?? []), ...EXTRA_EXEC_ARGV], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-OUTPUT_TAIL); };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
  };

  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.name} was not ready within ${options.readyTimeoutMs ?? 20_000} ms`)), options.readyTimeoutMs ?? 20_000);
      child.on('message', (message: { ready?: boolean }) => {
        if (message.ready !== true) return;
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${options.name} exited before it was ready (code ${code ?? 'none'}, signal ${signal ?? 'none'})`));
      });
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- ${options.name} output ---\n${output}`);
  }
  if (child.pid === undefined) throw new Error(`${options.name} has no pid`);
  return { name: options.name, pid: child.pid, baseUrl: `http://127.0.0.1:${port}`, output: () => output, stop };
}
