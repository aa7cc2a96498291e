// What `npm start` runs beside the server: Azurite, and in dev mode the local identity provider and Graph sandbox, on their ports or free ones.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEV_CLIENT_ID, DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../shared/config/devDefaults.js';
import { hostedBy } from '../shared/config/hosting.js';
import { startAzuriteFull, startAzuriteTables } from './azurite.js';
import { extraCaBundle, type CaBundle } from './caBundle.js';
import { devConnection, type DevConnection } from './devConnection.js';
import { DevSettingError, parseDevSettings, type DevSettings } from './devSettings.js';
import { GRAPH_ROUTES, seedUserData } from './graph/graphRoutes.js';
import { startLocalGraph } from './graph/localGraph.js';
import type { RunningServer } from './httpsServer.js';
import { startIdentityProvider, type IdentityProvider } from './identityProvider.js';
import { choosePort, startOnPort } from './ports.js';
import { createTlsFiles, readTls } from './tls.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface SandboxOptions {
  /**
   * For `func start` (the Functions host runs the server): Azurite's Blob and Queue services too, which
   * the host's timer trigger needs, and no port is kept for a local host.
   */
  readonly forFunctionsHost?: boolean;
}

/** A stand-in on its port; `wanted` is set when that port was taken and a free one is used. */
export interface Placed {
  readonly url: string;
  readonly port: number;
  readonly wanted?: number;
}

export interface Sandbox {
  readonly devMode: boolean;
  readonly settings: DevSettings;
  /** Where the server is (to be) reached. */
  readonly host: Placed;
  readonly mcpUrl: string;
  /** How Table Storage is reached, in words; `moved` says which wanted Azurite ports were taken. */
  readonly tables: { readonly description: string; readonly connectionString?: string; readonly moved?: string };
  /** The full Azurite connection string (`func start`'s AzureWebJobsStorage). */
  readonly functionsStorage?: string;
  readonly idp?: IdentityProvider & { readonly wanted?: number };
  readonly graph?: Placed;
  readonly caBundle?: CaBundle;
  readonly devConnection?: DevConnection;
  /**
   * The server process's environment: the user's, plus the settings that point it at what was started
   * (PORT, ENTRA_AUTHORITY_HOST, GRAPH_BASE_URL, TABLES_CONNECTION_STRING) and, in dev mode only, a
   * NODE_EXTRA_CA_CERTS that adds this run's certificate to the user's own.
   */
  readonly hostEnv: Record<string, string | undefined>;
  close(): Promise<void>;
}

/** Dev mode, as the server decides it: asked for, or no ENTRA_* setting present. */
function isDevMode(env: Env): boolean {
  const flag = (env['MCP_DEV_MODE'] ?? '').trim().toLowerCase();
  if (flag === '1' || flag === 'true') return true;
  if (flag === '0' || flag === 'false') return false;
  return !Object.keys(env).some((name) => name.startsWith('ENTRA_') && (env[name] ?? '').trim() !== '');
}

/**
 * The server refuses dev mode in Azure; so does the sandbox, before it starts anything, for `npm start` and
 * `npm run sandbox` alike (the latter never starts the server, so nothing else would say it). Throws `DevSettingError`.
 */
function refuseDevModeInAzure(env: Env, devMode: boolean): void {
  const hosted = hostedBy(env);
  if (!devMode || hosted === undefined) return;
  const why = (env['MCP_DEV_MODE'] ?? '').trim() === '' ? 'is implied (no ENTRA_* setting is present), but dev mode' : 'is set, but dev mode';
  throw new DevSettingError('MCP_DEV_MODE', `${why} cannot run in Azure (${hosted} says it is hosted): set the ENTRA_* settings instead`);
}

export async function startSandbox(env: Env, options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = parseDevSettings(env);
  const devMode = isDevMode(env);
  refuseDevModeInAzure(env, devMode);
  const running: RunningServer[] = [];
  const cleanups: (() => void)[] = [];
  const close = async () => {
    await Promise.allSettled(running.reverse().map((server) => server.close()));
    for (const cleanup of cleanups) cleanup();
  };
  try {
    const hostPort = options.forFunctionsHost === true ? { port: settings.ports.host } : await choosePort(settings.ports.host);
    const host: Placed = { url: `http://localhost:${hostPort.port}`, port: hostPort.port, ...(hostPort.wanted !== undefined && { wanted: hostPort.wanted }) };
    const mcpUrl = `${host.url}/mcp`;
    const hostEnv: Record<string, string | undefined> = { ...env, PORT: String(host.port) };

    let tables: Sandbox['tables'];
    let functionsStorage: string | undefined;
    if (options.forFunctionsHost === true) {
      const [blob, queue, table] = [await choosePort(settings.ports.blob), await choosePort(settings.ports.queue), await choosePort(settings.ports.tables)];
      const azurite = await startAzuriteFull({ blob: blob.port, queue: queue.port, table: table.port });
      running.push(azurite);
      functionsStorage = azurite.connectionString;
      const moved = ([[blob, 'DEV_BLOB_PORT'], [queue, 'DEV_QUEUE_PORT'], [table, 'DEV_TABLES_PORT']] as const)
        .filter(([placed]) => placed.wanted !== undefined)
        .map(([placed, setting]) => `${placed.wanted} (${setting})`);
      tables = {
        description: `Azurite Blob, Queue and Table on 127.0.0.1:${blob.port}, ${queue.port}, ${table.port} (in memory)`,
        connectionString: azurite.connectionString,
        ...(moved.length > 0 && { moved: `ports ${moved.join(', ')} were in use` }),
      };
    } else if ((env['TABLES_CONNECTION_STRING'] ?? env['TABLES_ENDPOINT'] ?? '').trim() !== '') {
      tables = { description: 'from the TABLES_* settings' };
    } else {
      const azurite = await startOnPort(settings.ports.tables, (port) => startAzuriteTables(port));
      running.push(azurite.value);
      tables = {
        description: `Azurite on http://127.0.0.1:${azurite.port} (in memory)`,
        connectionString: azurite.value.connectionString,
        ...(azurite.wanted !== undefined && { moved: `port ${azurite.wanted} (DEV_TABLES_PORT) was in use` }),
      };
    }
    if (tables.connectionString !== undefined) hostEnv['TABLES_CONNECTION_STRING'] = tables.connectionString;

    if (!devMode) {
      // Real mode: the user's NODE_EXTRA_CA_CERTS, if any, reaches the server untouched.
      return { devMode, settings, host, mcpUrl, tables, ...(functionsStorage !== undefined && { functionsStorage }), hostEnv, close };
    }

    const tlsFiles = await createTlsFiles();
    cleanups.push(() => rmSync(dirname(tlsFiles.certPath), { recursive: true, force: true }));
    const caBundle = extraCaBundle(env['NODE_EXTRA_CA_CERTS'], tlsFiles.certPath, dirname(tlsFiles.certPath));
    const tls = readTls(tlsFiles);
    const serverClientId = (env['ENTRA_CLIENT_ID'] ?? '').trim() === '' ? DEV_CLIENT_ID : (env['ENTRA_CLIENT_ID'] ?? '').trim().toLowerCase();
    const placedIdp = await startOnPort(settings.ports.idp, (port) => startIdentityProvider({
      tls,
      port,
      clientId: serverClientId,
      // MCP clients send the endpoint they connect to as RFC 8707 `resource`; Entra accepts it only as an App ID URI.
      // Both loopback names, and each sample tenant's own endpoint (shared/mcp/resourcePath.ts).
      serverIdentifierUris: ['localhost', '127.0.0.1'].flatMap((name) => ['/mcp', ...[DEV_TENANT_ID, DEV_OTHER_TENANT_ID].map((tenant) => `/tenants/${tenant}/mcp`)]
        .map((path) => `http://${name}:${host.port}${path}`)),
      foundryRedirectUris: settings.foundryRedirectUris,
      accessTokenLifetimeSeconds: settings.accessTokenLifetimeSeconds,
    }));
    const idp = placedIdp.value;
    running.push(idp);
    const placedGraph = await startOnPort(settings.ports.graph, (port) => startLocalGraph({ tls, port, idp, routes: GRAPH_ROUTES, seed: seedUserData }));
    running.push(placedGraph.value);

    hostEnv['MCP_DEV_MODE'] = '1';
    hostEnv['ENTRA_AUTHORITY_HOST'] = idp.url;
    hostEnv['GRAPH_BASE_URL'] = placedGraph.value.url;
    hostEnv['NODE_EXTRA_CA_CERTS'] = caBundle.path;

    const foundry = idp.registrations.foundry;
    return {
      devMode,
      settings,
      host,
      mcpUrl,
      tables,
      ...(functionsStorage !== undefined && { functionsStorage }),
      idp: Object.assign(idp, placedIdp.wanted !== undefined ? { wanted: placedIdp.wanted } : {}),
      graph: { url: placedGraph.value.url, port: placedGraph.port, ...(placedGraph.wanted !== undefined && { wanted: placedGraph.wanted }) },
      caBundle,
      devConnection: devConnection({
        mcpUrl,
        authorityHost: idp.url,
        serverClientId,
        foundryClientId: foundry.clientId,
        foundryClientSecret: foundry.clientSecret ?? '',
        foundryRedirectUris: foundry.redirectUris.map((redirect) => redirect.uri),
        caCertPath: caBundle.path,
      }),
      hostEnv,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
