// Table Storage clients for our tables: connection string locally, managed identity in Azure; tables created once.
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityApplication } from '@azure/msal-node';
import type { TablesConnection } from '../config/parseConfig.js';
import { toStoreError } from './storeError.js';

export interface TableClientsOptions {
  readonly connection: TablesConnection;
  /** User-assigned managed identity for the endpoint form; system-assigned when undefined. */
  readonly managedIdentityClientId: string | undefined;
  /** Prefix of every table name (letters and digits). */
  readonly prefix: string;
}

/** Hands out one client per table, creating the table on first use. */
export interface TableClients {
  get(name: 'Sessions' | 'RateLimits' | 'Audit'): Promise<TableClient>;
}

// Fail fast: a request waits on Table Storage, and callers have their own fallbacks.
const CLIENT_OPTIONS: TableServiceClientOptions = { retryOptions: { maxRetries: 1, retryDelayInMs: 100, maxRetryDelayInMs: 500 } };

/** msal-node already speaks managed identity; this adapts it to the Azure SDK's credential shape. */
function managedIdentityCredential(clientId: string | undefined): TokenCredential {
  const application = new ManagedIdentityApplication(clientId === undefined ? {} : { managedIdentityIdParams: { userAssignedClientId: clientId } });
  return {
    getToken: async () => {
      const result = await application.acquireToken({ resource: 'https://storage.azure.com' });
      return { token: result.accessToken, expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000 };
    },
  };
}

export function createTableClients(options: TableClientsOptions): TableClients {
  const credential = options.connection.kind === 'endpoint' ? managedIdentityCredential(options.managedIdentityClientId) : undefined;
  const ready = new Map<string, Promise<TableClient>>();

  const build = (table: string): TableClient => {
    if (options.connection.kind === 'endpoint') {
      return new TableClient(options.connection.endpoint, table, credential as TokenCredential, CLIENT_OPTIONS);
    }
    const local = /UseDevelopmentStorage=true|127\.0\.0\.1|localhost/i.test(options.connection.connectionString);
    return TableClient.fromConnectionString(options.connection.connectionString, table, { ...CLIENT_OPTIONS, allowInsecureConnection: local });
  };

  return {
    get(name) {
      const table = `${options.prefix}${name}`;
      let client = ready.get(table);
      if (client === undefined) {
        const tableClient = build(table);
        client = tableClient.createTable().then(
          () => tableClient,
          (error: unknown) => {
            ready.delete(table); // try again on the next request
            throw toStoreError(error, `create table ${table}`);
          },
        );
        ready.set(table, client);
      }
      return client;
    },
  };
}
