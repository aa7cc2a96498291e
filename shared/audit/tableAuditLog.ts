// AuditLog on Table Storage: partition `<tenant>_<yyyymmdd>` so an admin reads a tenant's day with one query,
// newest first by row key.
import { randomBytes } from 'node:crypto';
import type { TableClients } from '../tables/tableClients.js';
import { toStoreError } from '../tables/storeError.js';
import type { KnownTools } from '../telemetry/attributes/mcpMessage.js';
import { recordAuditUnwritten } from '../telemetry/metrics/recorders.js';
import type { AuditLog } from './auditLog.js';
import { auditPartition, toAuditRow } from './auditRow.js';

// Row keys sort ascending: counting down from a far date lists the newest rows first.
const FAR_FUTURE = 9_999_999_999_999;

/**
 * The audit log in `<prefix>Audit`. A row that cannot be written is counted in `onbehalf.audit.unwritten`
 * under its tool's name when the tool is one of `tools` (the catalog), else as `_OTHER`.
 */
export function createTableAuditLog(tables: TableClients, tools: KnownTools): AuditLog {
  const table = tables.table('Audit');
  return {
    async record(entry) {
      const row = toAuditRow(entry);
      // Rows of one trace share its id, and may share a millisecond: the suffix keeps their keys apart.
      const rowKey = `${String(FAR_FUTURE - row.time).padStart(13, '0')}_${row.correlationId}_${randomBytes(4).toString('hex')}`;
      try {
        await table.createEntity({ partitionKey: auditPartition(row.tid, row.time), rowKey, ...row });
      } catch (error) {
        recordAuditUnwritten(entry.tool, tools, error);
        throw toStoreError(error, 'write audit row');
      }
    },
  };
}
