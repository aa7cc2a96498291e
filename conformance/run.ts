// `npm run test:conformance`: the official MCP conformance suite's server scenarios against the server as
// `npm start` runs it in dev mode, on loopback, once per protocol revision we speak.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSandbox } from '../sandbox/sandbox.js';
import { ADELE } from '../sandbox/sampleUsers.js';
import { startAuthenticatingProxy } from './authenticatingProxy.js';

/** Each revision runs at its own wire version, against what that revision requires, with its own baseline. */
const REVISIONS = ['2025-11-25', '2026-07-28'] as const;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const suite = join(repoRoot, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const wanted = process.argv.slice(2);
const revisions = wanted.length === 0 ? REVISIONS : REVISIONS.filter((revision) => wanted.includes(revision));

function run(command: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', cwd: repoRoot });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
  });
}

interface Check {
  readonly id: string;
  readonly status: string;
  readonly errorMessage?: string;
}

/**
 * The checks of a run that did not pass, as `<scenario>:<check-id>` (the form the baseline takes), with their
 * status and message: the suite's summary names only scenarios.
 */
function notPassed(dir: string): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    let checks: Check[];
    try {
      checks = JSON.parse(readFileSync(join(dir, entry, 'checks.json'), 'utf8')) as Check[];
    } catch {
      continue;
    }
    for (const check of checks) {
      if (check.status === 'FAILURE' || check.status === 'WARNING') lines.push(`  ${scenario}:${check.id} ${check.status} ${(check.errorMessage ?? '').slice(0, 160)}`);
    }
  }
  return lines;
}

// Every port free ones, so a running `npm start` is never in the way; dev mode whatever the shell has set.
const sandbox = await startSandbox({
  ...process.env,
  MCP_DEV_MODE: '1',
  PORT: '0', DEV_IDP_PORT: '0', DEV_GRAPH_PORT: '0', DEV_TABLES_PORT: '0',
  // The suite opens a few hundred exchanges in a minute; the budgets have tests of their own.
  RATE_LIMIT_TENANT_PER_MINUTE: '0', RATE_LIMIT_USER_PER_MINUTE: '0',
});
const host = fork(join(here, '..', 'dev', 'host.js'), [], { env: sandbox.hostEnv, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const results = mkdtempSync(join(tmpdir(), 'onbehalf-conformance-'));
let exitCode = 1;
try {
  await new Promise<void>((resolve, reject) => {
    host.on('message', (message: { ready?: boolean }) => { if (message.ready === true) resolve(); });
    host.once('exit', (code) => reject(new Error(`the server exited before it was ready (code ${code ?? 'none'})`)));
  });
  const token = await sandbox.idp!.accessToken(ADELE, {}, { lifetimeSeconds: 3600 });
  const proxy = await startAuthenticatingProxy(new URL(sandbox.host.url), token);
  try {
    const failed: string[] = [];
    for (const revision of revisions) {
      console.log(`\n=== MCP ${revision} server scenarios ===`);
      const code = await run(process.execPath, [
        suite, 'server',
        '--url', `${proxy.url}/mcp`,
        '--requirements', revision,
        '--expected-failures', join(repoRoot, 'conformance', `expected-failures-${revision}.yaml`),
        '--output-dir', join(results, revision),
      ]);
      const open = notPassed(join(results, revision));
      console.log(open.length === 0 ? `\nMCP ${revision}: every check passed` : `\nMCP ${revision}: checks not passed (expected ones included)\n${open.join('\n')}`);
      if (code !== 0) failed.push(revision);
    }
    console.log(failed.length === 0 ? `\nconformance: ${revisions.join(', ')} as expected` : `\nconformance: unexpected results at ${failed.join(', ')}`);
    exitCode = failed.length === 0 ? 0 : 1;
  } finally {
    await proxy.close();
  }
} finally {
  host.kill();
  await sandbox.close();
  rmSync(results, { recursive: true, force: true });
}
process.exit(exitCode);
