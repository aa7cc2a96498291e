// AuditLog on Table Storage: partition `<tenant>_<yyyymmdd>` so an admin reads a tenant's day with one query,
// newest first by row key.
import type { TableClients } from '../tables/tableClients.js';
import { toStoreError } from '../tables/storeError.js';
import type { AuditLog } from './auditLog.js';
import { auditPartition, toAuditRow } from './auditRow.js';

// Row keys sort ascending: counting down from a far date lists the newest rows first.
const FAR_FUTURE = 9_999_999_999_999;

export function createTableAuditLog(tables: TableClients): AuditLog {
  const table = tables.table('Audit');
  return {
    async record(entry) {
      const row = toAuditRow(entry);
      const rowKey = `${String(FAR_FUTURE - row.time).padStart(13, '0')}_${row.correlationId}`;
      try {
        await table.createEntity({ partitionKey: auditPartition(entry.ownerTid ?? row.tid, row.time), rowKey, ...row });
      } catch (error) {
        throw toStoreError(error, 'write audit row');
      }
    },
  };
}
