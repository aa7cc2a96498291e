// Audit rows for calls refused before any tool ran: over budget, or invalid params.
import { actorOf, type AuditEntry, type AuditLog } from '../audit/auditLog.js';
import { writeAudit } from '../audit/writeAudit.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { Logger } from '../log/logger.js';
import { activeTraceId } from '../telemetry/spans/traceContext.js';

export interface RefusalContext {
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly caller: VerifiedCaller;
  /** The request's own id, shared by every row it writes. */
  readonly correlationId: string;
}

/**
 * One `refused` row per call named in `tools`, with `errorCode`. Never throws: a row that cannot be written is
 * logged, and the refusal stands either way.
 */
export async function auditRefusals(context: RefusalContext, tools: readonly string[], errorCode: string): Promise<void> {
  const time = Date.now();
  const traceId = activeTraceId();
  const entries: AuditEntry[] = tools.map((tool) => ({
    time,
    ...actorOf(context.caller.identity),
    tool,
    targetId: undefined,
    outcome: 'refused',
    errorCode,
    correlationId: context.correlationId,
    traceId,
  }));
  await Promise.all(entries.map((entry) => writeAudit(context.audit, entry, context.log)));
}
