// Where MCP sessions live between requests: any instance can serve any session's next request.

export interface SessionRecord {
  /** 128 bits of randomness, hex: visible ASCII as the transport spec asks. */
  readonly id: string;
  /** The user the session is pinned to. */
  readonly tid: string;
  readonly oid: string;
  readonly appId: string | undefined;
  readonly protocolVersion: string;
  /** `clientInfo` and `capabilities` from initialize, as JSON. */
  readonly clientInfo: string;
  readonly capabilities: string;
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The earlier of the idle and the absolute expiry, recomputed when `lastSeenAt` moves. */
  readonly expiresAt: number;
  readonly absoluteExpiresAt: number;
}

export interface SessionStore {
  /** Throws `StoreError`. */
  create(record: SessionRecord): Promise<void>;
  /** Undefined when there is no such session; throws `StoreError` `unavailable`. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Moves `lastSeenAt` and `expiresAt`. Throws `StoreError`. */
  touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  /** Idempotent. Throws `StoreError` `unavailable`. */
  delete(id: string): Promise<void>;
  /** Deletes sessions whose `expiresAt` has passed; returns how many (rows another purge deleted first are done, not errors). Throws `StoreError`. */
  purgeExpired(now: number): Promise<number>;
}
