// The timer's clean-up: the counters of rate-limit windows that have ended.
import type { RateLimiter } from '../limits/rateLimiter.js';

export interface PurgeResult {
  readonly rateLimitRows: number;
}

/** Throws `StoreError` when the purge fails; rows another instance purged first are done, not errors. */
export async function purgeExpiredState(limiter: RateLimiter, now: number): Promise<PurgeResult> {
  return { rateLimitRows: await limiter.purgeBefore(now) };
}
