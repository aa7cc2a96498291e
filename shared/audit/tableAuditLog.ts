// AuditLog on Table Storage: partition `<tenant>_<yyyymmdd>` so an admin reads a tenant's day with one query,
// newest first by row key.
import type { TableClients } from '../tables/tableClients.js';
import { toStoreError } from '../tables/storeError.js';
import type { AuditLog } from './auditLog.js';

// Row keys sort ascending: counting down from a far date lists the newest rows first.
const FAR_FUTURE = 9_999_999_999_999;

export function auditPartition(tid: string, time: number): string {
  return `${tid}_${new Date(time).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

export function createTableAuditLog(tables: TableClients): AuditLog {
  return {
    async record(entry) {
      const rowKey = `${String(FAR_FUTURE - entry.time).padStart(13, '0')}_${entry.correlationId}`;
      const columns = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
      try {
        await (await tables.get('Audit')).createEntity({ partitionKey: auditPartition(entry.tid, entry.time), rowKey, ...columns });
      } catch (error) {
        throw toStoreError(error, 'write audit row');
      }
    },
  };
}
