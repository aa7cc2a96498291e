// The per-user and per-tenant budget one POST spends: one unit per JSON-RPC request in it, refused whole when over.
import type { VerifiedCaller } from '../auth/identity.js';
import { HttpError } from '../http/httpError.js';
import type { AuditAllowance } from '../limits/auditAllowance.js';
import type { RateLimiter } from '../limits/rateLimiter.js';
import type { Logger } from '../log/logger.js';
import type { ToolCatalog } from '../tools/catalog.js';
import type { AuditLog } from '../audit/auditLog.js';
import { auditRefusals } from './auditRefusals.js';
import type { Deadline } from './deadline.js';
import { writeToolCalls } from './jsonRpcMessages.js';

export interface BudgetDependencies {
  /** Absent when both budgets are off. */
  readonly limiter: RateLimiter | undefined;
  /** Bounds the audit rows of calls refused for their budget. */
  readonly refusalAudit: AuditAllowance;
  readonly audit: AuditLog;
  readonly catalog: ToolCatalog;
}

/** The request the budget is taken for. */
export interface BudgetRequest {
  readonly log: Logger;
  readonly deadline: Deadline;
  /** Where the RateLimit-* headers go. */
  readonly replyHeaders: Headers;
  /** The request's own id, quoted by the audit rows of refused calls. */
  readonly correlationId: string;
}

/**
 * Takes `cost` from the caller's budgets and sets the RateLimit-* headers. Over budget: each write-tool call in
 * `messages` is audited (within the refusal allowance) and `HttpError` `rate_limited` thrown; `request_timeout`
 * when the deadline passes first.
 */
export async function takeBudget(deps: BudgetDependencies, caller: VerifiedCaller, cost: number, messages: readonly unknown[], request: BudgetRequest): Promise<void> {
  const { log, deadline, replyHeaders, correlationId } = request;
  const budget = deps.limiter === undefined ? undefined : await deadline.race(deps.limiter.take(caller.identity.tid, caller.identity.oid, log, cost));
  if (budget === undefined) return;
  replyHeaders.set('ratelimit-limit', String(budget.limit));
  replyHeaders.set('ratelimit-remaining', String(budget.remaining));
  replyHeaders.set('ratelimit-reset', String(budget.resetSeconds));
  if (budget.allowed) return;
  const writes = writeToolCalls(messages, deps.catalog);
  const allowed = deps.refusalAudit.take(caller.identity.tid, caller.identity.oid, writes.length);
  if (allowed < writes.length) log.warn('refused calls not audited: over the refusal allowance', { tenant: caller.identity.tid, count: writes.length - allowed });
  if (allowed > 0) await deadline.race(auditRefusals({ audit: deps.audit, log, caller, correlationId }, writes.slice(0, allowed), 'rate_limited')).catch(() => undefined);
  throw new HttpError('rate_limited', `Too many requests; retry in ${budget.resetSeconds} seconds`, { headers: { 'retry-after': String(budget.resetSeconds) } });
}
