// MCP Inspector as users get it: the pinned release from npm, installed into a cache outside the repository and run on loopback.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../../bench/serverProcess.js';

const run = promisify(execFile);

/** The pinned release: its package.json and lockfile, which the README names and `npm ci` installs from. */
export const INSPECTOR_MANIFEST_DIR = join(dirname(fileURLToPath(import.meta.url)), 'inspector');
const PACKAGE = '@modelcontextprotocol/inspector';

interface Manifest {
  readonly engines: { readonly node: string };
  readonly dependencies: Readonly<Record<string, string>>;
}

function manifest(): Manifest {
  return JSON.parse(readFileSync(join(INSPECTOR_MANIFEST_DIR, 'package.json'), 'utf8')) as Manifest;
}

export function inspectorVersion(): string {
  const version = manifest().dependencies[PACKAGE];
  if (version === undefined) throw new Error(`${INSPECTOR_MANIFEST_DIR}/package.json names no ${PACKAGE}`);
  return version;
}

/** `>=22.19.0` as the release declares it; Inspector 2.x refuses older Node versions. */
function checkNode(): void {
  const wanted = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(manifest().engines.node);
  const [major = 0, minor = 0, patch = 0] = process.versions.node.split('.').map(Number);
  const [, wantedMajor = 0, wantedMinor = 0, wantedPatch = 0] = (wanted ?? []).map(Number);
  const newEnough = major !== wantedMajor ? major > wantedMajor : minor !== wantedMinor ? minor > wantedMinor : patch >= wantedPatch;
  if (!newEnough) throw new Error(`MCP Inspector ${inspectorVersion()} needs Node ${manifest().engines.node}; this is Node ${process.versions.node}. Put Node 22 on PATH (npm install node@22 gives one).`);
}

/**
 * Where the release is installed: `ONBEHALF_TEST_CACHE`, else the user's cache folder, never the checkout
 * (it is no dependency of the project). One folder per lockfile, so a version change installs afresh.
 */
function cacheDir(): string {
  const lockHash = createHash('sha256').update(readFileSync(join(INSPECTOR_MANIFEST_DIR, 'package-lock.json'))).digest('hex').slice(0, 16);
  const root = process.env['ONBEHALF_TEST_CACHE'] ?? join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'onbehalf');
  return join(root, `mcp-inspector-${inspectorVersion()}-${lockHash}`);
}

/**
 * Installs the pinned release with `npm ci` from the committed lockfile (no install scripts: the release
 * needs none) unless an earlier run did; returns the launcher's path.
 */
export async function installInspector(): Promise<string> {
  checkNode();
  const dir = cacheDir();
  const launcher = join(dir, 'node_modules', ...PACKAGE.split('/'), 'clients', 'launcher', 'build', 'index.js');
  const done = join(dir, '.installed');
  if (existsSync(done) && existsSync(launcher)) return launcher;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(INSPECTOR_MANIFEST_DIR, file), join(dir, file));
  // The npm that runs `npm run test:browser`, else the one on PATH.
  const npmCli = process.env['npm_execpath'];
  const [command, prefix] = npmCli !== undefined && npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];
  await run(command, [...prefix, 'ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  writeFileSync(done, `${inspectorVersion()}\n`);
  return launcher;
}

export interface RunningInspector {
  /** The address Inspector prints, with its `MCP_INSPECTOR_API_TOKEN`: what a user opens. */
  readonly url: string;
  /** What it printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface InspectorOptions {
  /** Certificates its backend must trust (the dev identity provider's): NODE_EXTRA_CA_CERTS, as the README says. */
  readonly caCertPath: string;
}

const PRINTED_URL = /(http:\/\/127\.0\.0\.1:\d+\/?\?MCP_INSPECTOR_API_TOKEN=[0-9a-f]+)/;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts Inspector's web client as a user does (`npx @modelcontextprotocol/inspector`), with nothing of ours
 * in its environment but the CA file: loopback only, no browser of its own, secrets in memory, a fresh home
 * and an empty server list (so none of its sample servers is there to be started by mistake).
 */
export async function startInspector(launcher: string, options: InspectorOptions): Promise<RunningInspector> {
  const home = mkdtempSync(join(tmpdir(), 'onbehalf-inspector-'));
  const catalog = join(home, 'mcp.json');
  writeFileSync(catalog, JSON.stringify({ mcpServers: {} }));
  const child = spawn(process.execPath, [launcher, '--catalog', catalog], {
    cwd: home,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: home,
      HOST: '127.0.0.1',
      CLIENT_PORT: String(await freePort()),
      MCP_SANDBOX_PORT: '0',
      MCP_APP_ORIGIN_PORT: '0',
      MCP_STORAGE_DIR: join(home, 'storage'),
      MCP_INSPECTOR_SECRET_STORE: 'memory',
      MCP_AUTO_OPEN_ENABLED: 'false',
      NODE_EXTRA_CA_CERTS: options.caCertPath,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-16 * 1024); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited(child);
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`MCP Inspector printed no address within 60 s:\n${output}`)), 60_000);
      const look = () => {
        const match = PRINTED_URL.exec(output);
        if (match?.[1] === undefined) return;
        clearTimeout(timer);
        resolve(match[1]);
      };
      child.stdout.on('data', look);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`MCP Inspector exited (${code ?? 'signal'}) before it was ready:\n${output}`));
      });
    });
    return { url, output: () => output, close };
  } catch (error) {
    await close();
    throw error;
  }
}
