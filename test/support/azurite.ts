// Azurite's Table service, in process, from the npm package: the real Table Storage API on loopback.
import { createRequire } from 'node:module';
import type { RunningServer } from './httpsServer.js';

const require = createRequire(import.meta.url);

interface TableServerLike {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
}

/** Well-known development account of Azurite (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
}

/** Starts the Table service with in-memory persistence on `port` (10002 is what UseDevelopmentStorage=true expects). */
export async function startAzuriteTables(port = 10002): Promise<RunningServer & { connectionString: string }> {
  const TableServer = (require('azurite/dist/src/table/TableServer.js') as { default: new (config: unknown) => TableServerLike }).default;
  const TableConfiguration = (require('azurite/dist/src/table/TableConfiguration.js') as { default: new (...args: unknown[]) => unknown }).default;
  // host, port, keepAlive, dbPath, debugLog, accessLog, accessLogStream, debugLogPath, loose, skipApiVersionCheck,
  // cert, key, pwd, oauth, disableProductStyleUrl, inMemoryPersistence
  const configuration = new TableConfiguration('127.0.0.1', port, 5, '__azurite_db_table__.json', false, false, undefined, undefined, false, true, '', '', '', undefined, false, true);
  const server = new TableServer(configuration);
  await server.start();
  const actualPort = Number(new URL(`http://${server.getHttpServerAddress().replace(/^https?:\/\//, '')}`).port);
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    connectionString: azuriteConnectionString(actualPort),
    close: async () => {
      await server.close();
      await server.clean();
    },
  };
}
