// `npm start`: Azurite, and in dev mode the local identity provider, then the local host in its own process.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEV_AUTHORITY_HOST, DEV_CLIENT_ID, DEV_GRAPH_BASE_URL } from '../shared/config/devDefaults.js';
import { GRAPH_ROUTES, seedUserData } from './graph/graphRoutes.js';
import { startLocalGraph } from './graph/localGraph.js';
import type { RunningServer } from './httpsServer.js';
import { startAzuriteTables } from './azurite.js';
import { startIdentityProvider } from './identityProvider.js';
import { SAMPLE_USERS } from './sampleUsers.js';
import { createTlsFiles, readTls } from './tls.js';
import { printBanner } from './banner.js';

const here = dirname(fileURLToPath(import.meta.url));
const env = { ...process.env };
const devMode = env['MCP_DEV_MODE'] === '1' || !Object.keys(env).some((name) => name.startsWith('ENTRA_') && (env[name] ?? '') !== '');
const port = Number(env['PORT'] ?? 7071);
const running: RunningServer[] = [];

async function startTables(): Promise<string> {
  if ((env['TABLES_CONNECTION_STRING'] ?? env['TABLES_ENDPOINT'] ?? '') !== '') return 'from TABLES_* settings';
  try {
    running.push(await startAzuriteTables(10002));
    return 'Azurite on http://127.0.0.1:10002 (in memory)';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return 'port 10002 in use: using the Azurite already running there';
    throw error;
  }
}

const tables = await startTables();
const tlsFiles = await createTlsFiles();
let tokens: { user: string; token: string }[] = [];
if (devMode) {
  env['MCP_DEV_MODE'] = '1';
  const idp = await startIdentityProvider({ tls: readTls(tlsFiles), port: Number(new URL(DEV_AUTHORITY_HOST).port), clientId: DEV_CLIENT_ID });
  running.push(idp);
  running.push(await startLocalGraph({ tls: readTls(tlsFiles), port: Number(new URL(DEV_GRAPH_BASE_URL).port), idp, routes: GRAPH_ROUTES, seed: seedUserData }));
  tokens = await Promise.all(SAMPLE_USERS.map(async (user) => ({ user: `${user.name} <${user.upn}>`, token: await idp.accessToken(user, {}, { lifetimeSeconds: 12 * 3600 }) })));
}

const host = fork(join(here, 'host.js'), [], {
  env: { ...env, NODE_EXTRA_CA_CERTS: tlsFiles.certPath },
  stdio: 'inherit',
});
host.on('message', (message: { ready?: boolean }) => {
  if (message.ready === true) printBanner({ port, devMode, tables, tokens, authorityHost: DEV_AUTHORITY_HOST });
});
const stop = async (code: number) => {
  host.kill();
  await Promise.allSettled(running.map((server) => server.close()));
  process.exit(code);
};
host.on('exit', (code) => void stop(code ?? 1));
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
