// Request budgets per tenant and per user, shared by every instance.
import type { Logger } from '../log/logger.js';

export interface RateDecision {
  readonly allowed: boolean;
  /** Of the tighter bucket, for the RateLimit-* headers. */
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the tighter bucket's window resets. */
  readonly resetSeconds: number;
}

export interface RateLimiter {
  /**
   * Takes `cost` requests (default 1: a batch costs one per JSON-RPC request in it) from the user's and
   * then the tenant's budget, all or none of them per bucket; never throws (fails open, logging why).
   */
  take(tid: string, oid: string, log: Logger, cost?: number): Promise<RateDecision | undefined>;
  /** Deletes counters of windows that ended before `now`; returns how many (rows another purge deleted first are done, not errors). Throws `StoreError`. */
  purgeBefore(now: number): Promise<number>;
}
