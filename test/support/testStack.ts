// A whole local stack for one test file: identity provider, app, and the local host on loopback.
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { DEV_CLIENT_ID } from '../../shared/config/devDefaults.js';
import { parseConfig, type Config, type Env } from '../../shared/config/parseConfig.js';
import { createApp, type App, type AppOptions } from '../../shared/mcp/createApp.js';
import type { RunningServer } from '../../sandbox/httpsServer.js';
import { GRAPH_ROUTES, seedUserData } from '../../sandbox/graph/graphRoutes.js';
import { startLocalGraph, type LocalGraph } from '../../sandbox/graph/localGraph.js';
import type { UserData } from '../../sandbox/graph/userData.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { startLocalHost } from '../../sandbox/localHost.js';
import { readTls, type TlsMaterial } from '../../sandbox/tls.js';

export interface TestStack {
  readonly idp: IdentityProvider;
  readonly graph: LocalGraph;
  readonly config: Config;
  readonly app: App;
  readonly host: RunningServer;
  /** `http://localhost:<port>/mcp` */
  readonly mcpUrl: string;
  close(): Promise<void>;
}

export function testTls(): TlsMaterial {
  return readTls({ certPath: inject('tlsCertPath'), keyPath: inject('tlsKeyPath') });
}

export interface TestStackOptions {
  /** Settings on top of dev mode pointed at this stack's stand-ins. */
  readonly env?: Env;
  readonly app?: AppOptions;
  /** Fills each user's data in the local Graph (default: the sample data `npm start` serves). */
  readonly seed?: (data: UserData) => void;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const tls = testTls();
  const idp = await startIdentityProvider({ tls, clientId: DEV_CLIENT_ID });
  const graph = await startLocalGraph({ tls, idp, routes: GRAPH_ROUTES, seed: options.seed ?? seedUserData });
  const config = parseConfig({
    MCP_DEV_MODE: '1',
    ENTRA_AUTHORITY_HOST: idp.url,
    GRAPH_BASE_URL: graph.url,
    TABLES_CONNECTION_STRING: inject('tablesConnectionString'),
    // Tables of its own, so stacks running in parallel never share counters or audit rows.
    TABLES_PREFIX: `t${randomUUID().replaceAll('-', '').slice(0, 12)}`,
    // Budgets have tests of their own; elsewhere they would only make long test runs flaky.
    RATE_LIMIT_TENANT_PER_MINUTE: '0',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    ...options.env,
  });
  const app = createApp(config, options.app);
  const host = await startLocalHost(app);
  return {
    idp,
    graph,
    config,
    app,
    host,
    mcpUrl: `${host.url}/mcp`,
    close: async () => {
      await host.close();
      await graph.close();
      await idp.close();
    },
  };
}
