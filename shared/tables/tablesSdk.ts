// The Azure Tables SDK, loaded with the first Table operation: with the HTTP pipeline and XML parser it brings, 250 KB
// that a cold start need not compile before a request reaches Table Storage.
import type * as DataTables from '@azure/data-tables';

export type TablesSdk = typeof DataTables;

let loading: Promise<TablesSdk> | undefined;
let loaded: TablesSdk | undefined;

/** The one copy of the SDK, loaded by the first caller; every later one gets the same module. */
export async function loadTablesSdk(): Promise<TablesSdk> {
  loading ??= import('@azure/data-tables');
  return loaded ??= await loading;
}

/** The HTTP status of a failed SDK call; undefined for any other failure (a deadline, the network, ours). */
export function restErrorStatus(error: unknown): number | undefined {
  // Before the SDK has loaded, nothing can have thrown its errors.
  return loaded !== undefined && error instanceof loaded.RestError ? error.statusCode : undefined;
}
