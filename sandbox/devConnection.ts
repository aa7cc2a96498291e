// What a running `npm start` in dev mode tells `npm run foundry:config -- --dev` and the rehearsal: a file of the Foundry connection's values.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where `npm start` writes it, relative to the repository root (per checkout, never committed, survives rebuilds). */
export const DEV_CONNECTION_FILE = join('node_modules', '.cache', 'onbehalf', 'dev-connection.json');

export interface DevConnection {
  readonly version: 1;
  /** The `npm start` process: a file whose process is gone is stale. */
  readonly pid: number;
  /** Certificates a process must trust to reach the local identity provider (NODE_EXTRA_CA_CERTS). */
  readonly caCertPath: string;
  /** Named as the azd outputs `foundry:config` reads, plus the dev Foundry client's secret. */
  readonly values: Readonly<Record<string, string>>;
}

export interface DevConnectionInput {
  readonly mcpUrl: string;
  readonly authorityHost: string;
  readonly serverClientId: string;
  readonly foundryClientId: string;
  readonly foundryClientSecret: string;
  /** The dev Foundry client's redirect URIs, comma-separated as azd's FOUNDRY_REDIRECT_URI. */
  readonly foundryRedirectUris: readonly string[];
  readonly caCertPath: string;
  readonly pid?: number;
}

/**
 * The values, as `infra/main.bicep` outputs them for a deployment: the dev apps are multi-tenant (two
 * sample tenants), so the URLs use `organizations`, as a multi-tenant deployment's do.
 */
export function devConnection(input: DevConnectionInput): DevConnection {
  const authority = `${input.authorityHost}/organizations/oauth2/v2.0`;
  return {
    version: 1,
    pid: input.pid ?? process.pid,
    caCertPath: input.caCertPath,
    values: {
      AZURE_TENANT_ID: 'organizations',
      MCP_URL: input.mcpUrl,
      SERVER_APP_ID: input.serverClientId,
      CLIENT_APP_ID: input.foundryClientId,
      FOUNDRY_CLIENT_SECRET: input.foundryClientSecret,
      FOUNDRY_AUTH_URL: `${authority}/authorize`,
      FOUNDRY_TOKEN_URL: `${authority}/token`,
      FOUNDRY_REFRESH_URL: `${authority}/token`,
      FOUNDRY_SCOPES: `${input.serverClientId}/access_as_user offline_access`,
      FOUNDRY_REDIRECT_URI: input.foundryRedirectUris.join(','),
    },
  };
}

/** Writes the file readable by its owner only: it holds the dev Foundry client's secret. */
export function writeDevConnection(path: string, connection: DevConnection): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(connection, null, 2)}\n`, { mode: 0o600 });
}

/** True while process `pid` runs (EPERM: it runs, as another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid of the `npm start` that wrote the file, while it still runs; undefined for no file, a stale one or an unreadable one. */
function livingWriter(path: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(path, 'utf8')) as Partial<DevConnection>).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the file unless another running `npm start` of this checkout wrote it: that one keeps it, and
 * `foundry:config -- --dev` goes on describing the server it belongs to. A file whose writer has stopped
 * is replaced. Created exclusively, so two starts at once cannot both think they own it.
 */
export function claimDevConnection(path: string, connection: DevConnection): { readonly written: true } | { readonly written: false; readonly heldBy: number } {
  mkdirSync(dirname(path), { recursive: true });
  const text = `${JSON.stringify(connection, null, 2)}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
      return { written: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const heldBy = livingWriter(path);
    if (heldBy === connection.pid) {
      writeDevConnection(path, connection);
      return { written: true };
    }
    if (heldBy !== undefined) return { written: false, heldBy };
    rmSync(path, { force: true });
  }
  return { written: false, heldBy: livingWriter(path) ?? 0 };
}

/** Removes the file if this process wrote it (another `npm start` of the checkout may have written it since). */
export function removeDevConnection(path: string, pid = process.pid): void {
  try {
    if ((JSON.parse(readFileSync(path, 'utf8')) as Partial<DevConnection>).pid !== pid) return;
  } catch {
    return;
  }
  rmSync(path, { force: true });
}
