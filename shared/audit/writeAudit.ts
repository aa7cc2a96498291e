// Writes an audit row without letting its failure reach the answer, and reports a row that could not be written in one place.
import type { Logger } from '../log/logger.js';
import { StoreError } from '../tables/storeError.js';
import type { AuditEntry, AuditLog } from './auditLog.js';
import { toAuditRow } from './auditRow.js';

/**
 * The one report of a lost audit row: a greppable `audit_write_failed` error line with what an admin needs to find
 * the action elsewhere (tool, tenant, user, correlation id). The audit log itself counts the row in a metric.
 */
export function auditWriteFailed(log: Logger, entry: AuditEntry, error: unknown): void {
  const row = toAuditRow(entry);
  log.error('audit_write_failed', {
    tool: row.tool,
    tenant: row.tid,
    oid: row.oid,
    correlationId: row.correlationId,
    outcome: row.outcome,
    errorCode: row.errorCode,
    targetId: row.targetId,
    reason: error instanceof StoreError ? error.code : 'error',
    error: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
  });
}

/**
 * Records `entry` and never rejects. The wait is bounded by the Table deadline; a row that could not be written
 * (storage down, or past the deadline) goes to `auditWriteFailed`. Awaited on purpose: work left running after a
 * Functions invocation has answered may never finish, and a row lost that way would be lost without a word.
 */
export async function writeAudit(audit: AuditLog, entry: AuditEntry, log: Logger): Promise<void> {
  try {
    await audit.record(entry);
  } catch (error) {
    auditWriteFailed(log, entry, error);
  }
}
