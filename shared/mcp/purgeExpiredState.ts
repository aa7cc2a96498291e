// The timer's clean-up: the counters of rate-limit windows that have ended, and multi-round states never used.
import type { RateLimiter } from '../limits/rateLimiter.js';
import type { StateStore } from '../requestState/stateStore.js';

export interface PurgeResult {
  readonly rateLimitRows: number;
  readonly requestStateRows: number;
}

/** Throws `StoreError` when the purge fails; rows another instance purged first are done, not errors. */
export async function purgeExpiredState(limiter: RateLimiter, states: StateStore, now: number): Promise<PurgeResult> {
  const [rateLimitRows, requestStateRows] = await Promise.all([limiter.purgeBefore(now), states.purgeBefore(now)]);
  return { rateLimitRows, requestStateRows };
}
