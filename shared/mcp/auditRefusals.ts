// Audit rows for calls refused before any tool ran: over budget, invalid params, or a session not the caller's.
import { actorOf, type AuditEntry, type AuditLog } from '../audit/auditLog.js';
import { writeAudit } from '../audit/writeAudit.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { Logger } from '../log/logger.js';
import { activeTraceId } from '../telemetry/spans/traceContext.js';

export interface RefusalContext {
  readonly audit: AuditLog;
  readonly log: Logger;
  readonly caller: VerifiedCaller;
  readonly sessionId: string | undefined;
  /** The request's own id, shared by every row it writes. */
  readonly correlationId: string;
}

/**
 * One `refused` row per call named in `tools`, with `errorCode`. With `ownerTid` (a session of another
 * tenant was tried), each row is kept in that tenant's partition too, so its administrator sees it.
 * Never throws: a row that cannot be written is logged, and the refusal stands either way.
 */
export async function auditRefusals(context: RefusalContext, tools: readonly string[], errorCode: string, ownerTid?: string): Promise<void> {
  const time = Date.now();
  const traceId = activeTraceId();
  const entries: AuditEntry[] = tools.flatMap((tool) => {
    const entry: AuditEntry = {
      time,
      ...actorOf(context.caller.identity),
      sessionId: context.sessionId,
      tool,
      targetId: undefined,
      outcome: 'refused',
      errorCode,
      correlationId: context.correlationId,
      traceId,
    };
    return ownerTid === undefined || ownerTid === entry.tid ? [entry] : [entry, { ...entry, ownerTid }];
  });
  await Promise.all(entries.map((entry) => writeAudit(context.audit, entry, context.log)));
}
