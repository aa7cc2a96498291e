// What `npm start` runs, on free ports: the sandbox in this process, and the local host built as npm start builds it, in its own.
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startSandbox, type Env, type Sandbox } from '../../sandbox/sandbox.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface DevStack {
  readonly sandbox: Sandbox;
  /** What the host printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

/**
 * `npm start` without its banner: the sandbox (Azurite, identity provider, Graph sandbox, a CA bundle of its
 * own certificate) and the local host with the environment `npm start` gives it. `env` is the user's.
 */
export async function startDevStack(env: Env = {}): Promise<DevStack> {
  const out = mkdtempSync(join(tmpdir(), 'onbehalf-devstack-'));
  // `npm run build` into a folder of its own: dev/host.js and the document worker beside it, as npm start runs them.
  await promisify(execFile)(process.execPath, ['esbuild.config.mjs', out], { cwd: REPO_ROOT, timeout: 300_000 });
  const sandbox = await startSandbox({ PORT: '0', DEV_IDP_PORT: '0', DEV_GRAPH_PORT: '0', DEV_TABLES_PORT: '0', PATH: process.env['PATH'], ...env });
  const hostEnv = Object.fromEntries(Object.entries(sandbox.hostEnv).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const host = fork(join(out, 'dev', 'host.js'), [], { env: hostEnv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-16 * 1024); };
  host.stdout?.on('data', keep);
  host.stderr?.on('data', keep);
  const close = async () => {
    if (host.exitCode === null && host.signalCode === null) {
      host.kill('SIGTERM');
      await exited(host);
    }
    await sandbox.close();
    rmSync(out, { recursive: true, force: true });
  };
  try {
    await new Promise<void>((ready, fail) => {
      host.on('message', (message: { ready?: boolean }) => {
        if (message.ready === true) ready();
      });
      host.once('exit', (code) => fail(new Error(`the local host exited (${code ?? 'signal'}):\n${output}`)));
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { sandbox, output: () => output, close };
}
