// The audit trail of write tools: who, through which app, did what to which item, with what outcome.

export interface AuditEntry {
  readonly time: number;
  readonly tid: string;
  readonly oid: string;
  readonly upn: string | undefined;
  readonly name: string | undefined;
  /** Client application acting for the user. */
  readonly appId: string | undefined;
  readonly sessionId: string | undefined;
  readonly tool: string;
  /** The event, message or file acted on, when there is one. Never content. */
  readonly targetId: string | undefined;
  readonly outcome: 'succeeded' | 'failed' | 'refused';
  /** The typed error code when the outcome is not `succeeded`. */
  readonly errorCode: string | undefined;
  readonly correlationId: string;
}

export interface AuditLog {
  /** Throws `StoreError`; callers log and carry on (the action itself already happened). */
  record(entry: AuditEntry): Promise<void>;
}
