// Extra server instances beside a test stack: same settings, same stand-ins, sharing nothing but Table Storage.
import { TableClient, type TableEntityResult } from '@azure/data-tables';
import { vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Config, Env } from '../../shared/config/parseConfig.js';
import type { App, AppOptions } from '../../shared/mcp/createApp.js';
import type { RunningServer } from '../../sandbox/httpsServer.js';
import type { TestStack } from './testStack.js';

export interface ServerInstance {
  readonly config: Config;
  readonly app: App;
  readonly host: RunningServer;
  /** `http://localhost:<port>/mcp` */
  readonly mcpUrl: string;
  close(): Promise<void>;
}

export interface ServerInstanceOptions {
  /** Settings on top of the stack's own. */
  readonly env?: Env;
  readonly app?: AppOptions;
  /**
   * Load our modules afresh (vi.resetModules), so not even module-level state is shared with the
   * stack's instance: what a second Functions worker would be.
   */
  readonly freshModules?: boolean;
}

/** A TABLES_PREFIX nobody else uses: tables of one's own on the shared Azurite. */
export function freshTablesPrefix(): string {
  return `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

/** The app settings the stack's config was parsed from (the ones these tests vary), with overrides. */
export function stackEnv(stack: TestStack, overrides: Env = {}): Env {
  const { config } = stack;
  return {
    MCP_DEV_MODE: '1',
    ENTRA_AUTHORITY_HOST: stack.idp.url,
    GRAPH_BASE_URL: stack.graph.url,
    ...(config.tables.kind === 'connectionString' ? { TABLES_CONNECTION_STRING: config.tables.connectionString } : { TABLES_ENDPOINT: config.tables.endpoint }),
    TABLES_PREFIX: config.tablesPrefix,
    RATE_LIMIT_TENANT_PER_MINUTE: String(config.rateLimit.tenantPerMinute),
    RATE_LIMIT_USER_PER_MINUTE: String(config.rateLimit.userPerMinute),
    ...overrides,
  };
}

/** One more instance: parseConfig + createApp + startLocalHost, served on a port of its own. */
export async function startServerInstance(stack: TestStack, options: ServerInstanceOptions = {}): Promise<ServerInstance> {
  if (options.freshModules === true) vi.resetModules();
  const { parseConfig } = await import('../../shared/config/parseConfig.js');
  const { createApp } = await import('../../shared/mcp/createApp.js');
  const { startLocalHost } = await import('../../sandbox/localHost.js');
  const config = parseConfig(stackEnv(stack, options.env));
  const app = createApp(config, options.app);
  const host = await startLocalHost(app);
  return { config, app, host, mcpUrl: `${host.url}/mcp`, close: () => host.close() };
}

export async function startServerInstances(stack: TestStack, count: number, options: ServerInstanceOptions = {}): Promise<ServerInstance[]> {
  const instances: ServerInstance[] = [];
  for (let i = 0; i < count; i++) instances.push(await startServerInstance(stack, options));
  return instances;
}

/** A client of one of the stack's tables, to read what the server wrote (the table may not exist yet). */
export function stackTable(stack: Pick<TestStack, 'config'>, name: 'RateLimits' | 'Audit' | 'RequestStates'): TableClient {
  const { tables, tablesPrefix } = stack.config;
  if (tables.kind !== 'connectionString') throw new Error('tests read tables through a connection string');
  return TableClient.fromConnectionString(tables.connectionString, `${tablesPrefix}${name}`, { allowInsecureConnection: true });
}

/** Every row of a table (none when it does not exist yet). */
export async function tableRows(table: TableClient): Promise<TableEntityResult<Record<string, unknown>>[]> {
  const rows: TableEntityResult<Record<string, unknown>>[] = [];
  try {
    for await (const row of table.listEntities<Record<string, unknown>>()) rows.push(row);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
  }
  return rows;
}
