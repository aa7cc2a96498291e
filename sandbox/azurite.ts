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

export interface AzuritePorts {
  readonly blob: number;
  readonly queue: number;
  readonly table: number;
}

export interface AzuriteFull extends RunningServer {
  readonly ports: AzuritePorts;
  /** Blob, Queue and Table endpoints: what AzureWebJobsStorage needs for the Functions host's timers. */
  readonly connectionString: string;
}

function azuriteFullConnectionString(ports: AzuritePorts): string {
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${endpoint(ports.blob)};QueueEndpoint=${endpoint(ports.queue)};TableEndpoint=${endpoint(ports.table)};`;
}

/**
 * Starts the whole of Azurite (Blob, Queue, Table) in memory, as its own process from the npm package:
 * the Functions host needs Blob storage for its timer triggers (`func start`).
 */
export async function startAzuriteFull(ports: AzuritePorts): Promise<AzuriteFull> {
  const { spawn } = await import('node:child_process');
  const cli = require.resolve('azurite/dist/src/azurite.js');
  const child = spawn(process.execPath, [
    cli, '--inMemoryPersistence', '--disableTelemetry', '--silent', '--skipApiVersionCheck',
    '--blobPort', String(ports.blob), '--queuePort', String(ports.queue), '--tablePort', String(ports.table),
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (/Table service is successfully listening/.test(output)) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Azurite exited (${code ?? 'signal'}) before listening: ${output.trim().slice(-500)}`)));
  });
  // From here on its output is dropped, not kept: it must never fill the pipe and stall Azurite.
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url: `http://127.0.0.1:${ports.table}`,
    port: ports.table,
    ports,
    connectionString: azuriteFullConnectionString(ports),
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
