// The audit trail of write tools: who, through which app, did what to which item, with what outcome.
import type { Identity } from '../auth/identity.js';

export interface AuditEntry {
  readonly time: number;
  readonly tid: string;
  readonly oid: string;
  readonly upn: string | undefined;
  readonly name: string | undefined;
  /** Client application acting for the user. */
  readonly appId: string | undefined;
  readonly tool: string;
  /** Where the call acted: the event, chat, channel, list or task named in its input (so a failed call names it too). Never content. */
  readonly targetId: string | undefined;
  /** What a successful call created: the message sent, the task, event or draft made. */
  readonly createdId?: string | undefined;
  /** `unknown`: the request's deadline passed after the write was sent to Graph, which may have acted on it. */
  readonly outcome: 'succeeded' | 'failed' | 'refused' | 'unknown';
  /** The typed error code when the outcome is not `succeeded`. */
  readonly errorCode: string | undefined;
  /** The server's own id for the request (what its tool errors quote); a caller cannot choose it. */
  readonly correlationId: string;
  /** The request's trace, when tracing is on (a caller's traceparent may have chosen it). */
  readonly traceId?: string | undefined;
  /** Mail: distinct recipient addresses (to, cc and bcc together). */
  readonly recipientCount?: number | undefined;
  /** Mail: the recipients' domains, never their addresses. */
  readonly recipientDomains?: readonly string[] | undefined;
}

export interface AuditLog {
  /** Throws `StoreError`; callers report it with `writeAudit` and carry on (the action itself already happened). */
  record(entry: AuditEntry): Promise<void>;
}

/** The columns that say who acted: the user and the client app acting for them. */
export function actorOf(identity: Identity): Pick<AuditEntry, 'tid' | 'oid' | 'upn' | 'name' | 'appId'> {
  return { tid: identity.tid, oid: identity.oid, upn: identity.upn, name: identity.name, appId: identity.appId };
}

/** What an admin needs to trace a mail without its content: how many recipients, and in which domains. */
export function recipientsOf(addresses: readonly string[]): Pick<AuditEntry, 'recipientCount' | 'recipientDomains'> {
  const distinct = new Set(addresses.map((address) => address.toLowerCase()));
  const domains = new Set([...distinct].map((address) => address.slice(address.lastIndexOf('@') + 1)));
  return { recipientCount: distinct.size, recipientDomains: [...domains].sort() };
}
