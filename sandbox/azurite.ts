// Azurite's Table service, in process, from the npm package: the real Table Storage API on loopback.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
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

export interface AzuriteTablesOptions {
  /** A folder for on-disk persistence: data outlives `stop()` and a later start on the same folder finds it. In memory when unset. */
  readonly location?: string;
  /** Receives one access-log line (morgan "common" format) per HTTP request Azurite serves. */
  readonly accessLog?: Writable;
}

export interface AzuriteTables extends RunningServer {
  readonly connectionString: string;
  /** Stops serving; with a `location`, the data stays on disk for the next start. */
  stop(): Promise<void>;
}

/** Starts the Table service on `port` (10002 is what UseDevelopmentStorage=true expects; 0 picks a free one). */
export async function startAzuriteTables(port = 10002, options: AzuriteTablesOptions = {}): Promise<AzuriteTables> {
  const TableServer = (require('azurite/dist/src/table/TableServer.js') as { default: new (config: unknown) => TableServerLike }).default;
  const TableConfiguration = (require('azurite/dist/src/table/TableConfiguration.js') as { default: new (...args: unknown[]) => unknown }).default;
  const onDisk = options.location !== undefined;
  const dbPath = onDisk ? join(options.location, '__azurite_db_table__.json') : '__azurite_db_table__.json';
  // host, port, keepAlive, dbPath, debugLog, accessLog, accessLogStream, debugLogPath, loose, skipApiVersionCheck,
  // cert, key, pwd, oauth, disableProductStyleUrl, inMemoryPersistence
  const configuration = new TableConfiguration('127.0.0.1', port, 5, dbPath, false, options.accessLog !== undefined, options.accessLog, undefined, false, true, '', '', '', undefined, false, !onDisk);
  const server = new TableServer(configuration);
  await server.start();
  const actualPort = Number(new URL(`http://${server.getHttpServerAddress().replace(/^https?:\/\//, '')}`).port);
  let running = true;
  const stop = async () => {
    if (!running) return;
    running = false;
    // Closing the metadata store saves what autosave has not written yet.
    await server.close();
  };
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    connectionString: azuriteConnectionString(actualPort),
    stop,
    close: async () => {
      await stop();
      // In memory this frees the data; on disk it deletes the database file.
      await server.clean();
    },
  };
}
