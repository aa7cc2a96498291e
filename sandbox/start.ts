// `npm start`: the sandbox (Azurite; in dev mode the identity provider and Graph sandbox), then the local host in its own process.
// `npm run sandbox` (--functions-host): the sandbox alone, with Azurite's Blob service, for `func start`.
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bannerText } from './banner.js';
import { claimDevConnection, DEV_CONNECTION_FILE, removeDevConnection } from './devConnection.js';
import { DevSettingError } from './devSettings.js';
import { startSandbox, type Sandbox } from './sandbox.js';
import { SAMPLE_USERS } from './sampleUsers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const forFunctionsHost = process.argv.includes('--functions-host');
const connectionFile = join(repoRoot, DEV_CONNECTION_FILE);

let sandbox: Sandbox;
try {
  sandbox = await startSandbox(process.env, { forFunctionsHost });
} catch (error) {
  if (!(error instanceof DevSettingError)) throw error;
  console.error(`${forFunctionsHost ? 'npm run sandbox' : 'npm start'}: ${error.message}`);
  process.exit(1);
}

const readyToken = async () => {
  const user = SAMPLE_USERS[0];
  if (sandbox.idp === undefined || user === undefined) return undefined;
  return { user: `${user.name} <${user.upn}>`, token: await sandbox.idp.accessToken(user, {}, { lifetimeSeconds: 12 * 3600 }) };
};

const announce = async () => {
  const claim = sandbox.devConnection === undefined ? undefined : claimDevConnection(connectionFile, sandbox.devConnection);
  const token = await readyToken();
  console.log(bannerText(sandbox, { forFunctionsHost, ...(token !== undefined && { token }), ...(claim?.written === false && { connectionHeldBy: claim.heldBy }) }));
};

let stopping = false;
const stop = async (code: number, host?: ReturnType<typeof fork>) => {
  if (stopping) return;
  stopping = true;
  host?.kill();
  if (sandbox.devConnection !== undefined) removeDevConnection(connectionFile);
  await sandbox.close();
  process.exit(code);
};

if (forFunctionsHost) {
  await announce();
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
} else {
  const host = fork(join(here, 'host.js'), [], { env: sandbox.hostEnv, stdio: 'inherit' });
  host.on('message', (message: { ready?: boolean }) => {
    if (message.ready === true) void announce();
  });
  host.on('exit', (code) => void stop(code ?? 1, host));
  process.on('SIGINT', () => void stop(0, host));
  process.on('SIGTERM', () => void stop(0, host));
}
