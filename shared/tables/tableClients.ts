// Table Storage clients for our tables: connection string locally, managed identity in Azure; tables created once;
// every operation bounded by a deadline.
import type { TableClient, TableEntity, TableEntityResult, TableServiceClientOptions, UpdateMode } from '@azure/data-tables';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { ManagedIdentityApplication } from '@azure/msal-node';
import { loadMsal } from '../auth/msal.js';
import type { TablesConnection } from '../config/parseConfig.js';
import { connectionStringEndpoint, isLoopbackHost } from '../config/tablesEndpoint.js';
import { traceTableOperation } from '../telemetry/spans/tableOperation.js';
import { StoreError, toStoreError } from './storeError.js';
import { loadTablesSdk } from './tablesSdk.js';

export type TableName = 'RateLimits' | 'Audit' | 'RequestStates';

/**
 * What one Table operation may take, table creation and the SDK's retry included. A request waits on Table
 * Storage, and storage that accepts connections but never answers must cost seconds, not the client's patience.
 */
const TABLE_DEADLINE_MS = 5_000;

export interface TableClientsOptions {
  readonly connection: TablesConnection;
  /** User-assigned managed identity for the endpoint form; system-assigned when undefined. */
  readonly managedIdentityClientId: string | undefined;
  /** Prefix of every table name (letters and digits). */
  readonly prefix: string;
  /** Per operation; `TABLE_DEADLINE_MS` when unset. */
  readonly deadlineMs?: number | undefined;
}

export interface TablePage<T extends object> {
  readonly entities: readonly TableEntityResult<T>[];
  /** Absent on the last page. */
  readonly continuationToken: string | undefined;
}

/**
 * One table's operations, each bounded by the deadline. Every failure is a `StoreError`: `not_found`,
 * `conflict`, or `unavailable` (refused, failed, or not answered in time: callers cannot tell, and need not).
 */
export interface Table {
  getEntity<T extends object>(partitionKey: string, rowKey: string): Promise<TableEntityResult<T>>;
  createEntity<T extends object>(entity: TableEntity<T>): Promise<void>;
  /** With `etag`, only if the row is unchanged (`conflict` otherwise). */
  updateEntity<T extends object>(entity: TableEntity<T>, mode: UpdateMode, etag?: string): Promise<void>;
  /**
   * True when this call deleted the row, false when it was already gone: deleting what is gone is success. With
   * `etag`, only if the row is unchanged (`conflict` otherwise).
   */
  deleteEntity(partitionKey: string, rowKey: string, etag?: string): Promise<boolean>;
  /** One page of a query; pass the previous page's `continuationToken` for the next. */
  listPage<T extends object>(query: { readonly filter: string; readonly select: string[] }, continuationToken: string | undefined): Promise<TablePage<T>>;
}

/** Hands out our tables, creating each on first use. */
export interface TableClients {
  table(name: TableName): Table;
  /**
   * Creates the table now, if this instance has not yet, so that its first operation need not wait for that (nor for
   * the managed identity's first storage token). Throws `StoreError`; a failed creation is tried again by the next
   * operation.
   */
  prepare(name: TableName): Promise<void>;
}

// Fail fast: a request waits on Table Storage, and callers have their own fallbacks.
const CLIENT_OPTIONS: TableServiceClientOptions = { retryOptions: { maxRetries: 1, retryDelayInMs: 100, maxRetryDelayInMs: 500 } };
const PAGE_SIZE = 100;

/** What every SDK call gets: the signal that fires at the deadline (the SDK's own `OperationOptions` accepts it). */
interface OperationOptions {
  readonly abortSignal: AbortSignal;
}

/** Rejects when `signal` aborts: a hung token endpoint must not outlive the operation waiting for it. */
function abandonOnAbort<T>(work: Promise<T>, signal: GetTokenOptions['abortSignal']): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new StoreError('unavailable', 'managed identity token: abandoned at the deadline'));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/**
 * Plain http only to a loopback host (the emulator), decided from the endpoint's parsed host name: a `localhost`
 * anywhere else in the string (a path, a query, `localhost.example.com`) does not count. The SDK refuses http otherwise.
 */
export function plainHttpAllowed(connection: TablesConnection): boolean {
  if (connection.kind !== 'connectionString') return false;
  const endpoint = connectionStringEndpoint(connection.connectionString);
  return endpoint !== undefined && isLoopbackHost(endpoint.hostname);
}

/** msal-node already speaks managed identity; this adapts it to the Azure SDK's credential shape. */
function managedIdentityCredential(clientId: string | undefined): TokenCredential {
  let application: Promise<ManagedIdentityApplication> | undefined;
  return {
    getToken: async (_scopes, options): Promise<AccessToken> => {
      application ??= loadMsal().then((msal) => new msal.ManagedIdentityApplication(clientId === undefined ? {} : { managedIdentityIdParams: { userAssignedClientId: clientId } }));
      const result = await abandonOnAbort(application.then((loaded) => loaded.acquireToken({ resource: 'https://storage.azure.com' })), options?.abortSignal);
      return { token: result.accessToken, expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000 };
    },
  };
}

/**
 * Runs `operation` with an abort signal that fires at the deadline, and gives up waiting then even if the SDK
 * does not (it waits on a shared token refresh without looking at the signal). Throws `StoreError`.
 */
async function withDeadline<T>(deadlineMs: number, what: string, operation: (options: OperationOptions) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new StoreError('unavailable', `${what}: Table Storage did not answer within ${deadlineMs} ms`);
      controller.abort(error);
      reject(error);
    }, deadlineMs);
  });
  const work = operation({ abortSignal: controller.signal }).catch((error: unknown) => {
    throw toStoreError(error, what);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export function createTableClients(options: TableClientsOptions): TableClients {
  const deadlineMs = options.deadlineMs ?? TABLE_DEADLINE_MS;
  const credential = options.connection.kind === 'endpoint' ? managedIdentityCredential(options.managedIdentityClientId) : undefined;
  const ready = new Map<string, Promise<TableClient>>();
  const tables = new Map<string, Table>();

  const build = async (table: string): Promise<TableClient> => {
    const { TableClient } = await loadTablesSdk();
    if (options.connection.kind === 'endpoint') {
      return new TableClient(options.connection.endpoint, table, credential as TokenCredential, CLIENT_OPTIONS);
    }
    return TableClient.fromConnectionString(options.connection.connectionString, table, { ...CLIENT_OPTIONS, allowInsecureConnection: plainHttpAllowed(options.connection) });
  };

  /** The table's client once the table exists; a failed or late creation is tried again by the next caller. */
  const clientOf = (table: string): Promise<TableClient> => {
    let client = ready.get(table);
    if (client === undefined) {
      client = build(table).then(async (tableClient) => {
        await withDeadline(deadlineMs, `create table ${table}`, (operationOptions) => tableClient.createTable(operationOptions));
        return tableClient;
      }).catch((error: unknown) => {
        ready.delete(table);
        throw error;
      });
      ready.set(table, client);
    }
    return client;
  };

  const open = (table: string): Table => {
    // One deadline covers waiting for the table to exist and the operation itself; one span covers both too,
    // named after the SDK call (`getEntity onbehalfRateLimits`).
    const run = <T>(sdkCall: string, what: string, operation: (client: TableClient, operationOptions: OperationOptions) => Promise<T>): Promise<T> =>
      traceTableOperation(table, sdkCall, () => withDeadline(deadlineMs, `${what} (${table})`, async (operationOptions) => operation(await clientOf(table), operationOptions)));
    return {
      getEntity: <T extends object>(partitionKey: string, rowKey: string) =>
        run('getEntity', 'read row', async (client, operationOptions) => await client.getEntity<T>(partitionKey, rowKey, operationOptions)),
      createEntity: (entity) => run('createEntity', 'create row', async (client, operationOptions) => {
        await client.createEntity(entity, operationOptions);
      }),
      updateEntity: (entity, mode, etag) => run('updateEntity', 'update row', async (client, operationOptions) => {
        await client.updateEntity(entity, mode, { ...operationOptions, ...(etag !== undefined && { etag }) });
      }),
      deleteEntity: async (partitionKey, rowKey, etag) => {
        try {
          await run('deleteEntity', 'delete row', (client, operationOptions) => client.deleteEntity(partitionKey, rowKey, { ...operationOptions, ...(etag !== undefined && { etag }) }));
          return true;
        } catch (error) {
          if (error instanceof StoreError && error.code === 'not_found') return false;
          throw error;
        }
      },
      listPage: <T extends object>(query: { readonly filter: string; readonly select: string[] }, continuationToken: string | undefined) =>
        run('listEntities', 'list rows', async (client, operationOptions) => {
          const pages = client.listEntities<T>({ ...operationOptions, queryOptions: { filter: query.filter, select: query.select } })
            .byPage({ maxPageSize: PAGE_SIZE, ...(continuationToken !== undefined && { continuationToken }) });
          const next = await pages.next();
          if (next.done === true) return { entities: [], continuationToken: undefined };
          return { entities: next.value, continuationToken: next.value.continuationToken };
        }),
    };
  };

  return {
    prepare: async (name) => {
      await clientOf(`${options.prefix}${name}`).catch((error: unknown) => {
        throw toStoreError(error, `create table ${options.prefix}${name}`);
      });
    },
    table(name) {
      const table = `${options.prefix}${name}`;
      let handle = tables.get(table);
      if (handle === undefined) {
        handle = open(table);
        tables.set(table, handle);
      }
      return handle;
    },
  };
}

/**
 * Deletes every row `filter` matches, page by page, each operation under its own deadline. Rows another purge
 * deleted first count as done, not as failures. Returns how many this call deleted; throws `StoreError`.
 */
export async function deleteMatching(table: Table, filter: string): Promise<number> {
  let deleted = 0;
  let continuationToken: string | undefined;
  do {
    const page = await table.listPage<object>({ filter, select: ['PartitionKey', 'RowKey'] }, continuationToken);
    for (const row of page.entities) {
      if (await table.deleteEntity(row.partitionKey ?? '', row.rowKey ?? '')) deleted++;
    }
    continuationToken = page.continuationToken;
  } while (continuationToken !== undefined);
  return deleted;
}
