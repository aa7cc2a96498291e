// The timer's clean-up: expired sessions and past rate-limit counters; each purge runs to its end whatever the other does.
import type { RateLimiter } from '../limits/rateLimiter.js';
import type { SessionStore } from '../session/sessionStore.js';
import { StoreError, toStoreError } from '../tables/storeError.js';

export interface PurgeResult {
  readonly sessions: number;
  readonly rateLimitRows: number;
}

/**
 * Runs both purges side by side. Throws `StoreError` (the first failure's code) after both have finished when
 * either failed; its message says what the other one purged.
 */
export async function purgeExpiredState(sessions: SessionStore, limiter: RateLimiter, now: number): Promise<PurgeResult> {
  const [sessionsPurged, rowsPurged] = await Promise.allSettled([sessions.purgeExpired(now), limiter.purgeBefore(now)]);
  if (sessionsPurged.status === 'fulfilled' && rowsPurged.status === 'fulfilled') {
    return { sessions: sessionsPurged.value, rateLimitRows: rowsPurged.value };
  }
  const describe = (what: string, outcome: PromiseSettledResult<number>) =>
    outcome.status === 'fulfilled' ? `${what}: ${outcome.value} purged` : `${what}: failed (${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)})`;
  const failures = [sessionsPurged, rowsPurged].filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as unknown);
  const first = toStoreError(failures[0], 'purge');
  throw new StoreError(first.code, `purge incomplete; ${describe('sessions', sessionsPurged)}; ${describe('rate-limit rows', rowsPurged)}`, {
    cause: failures.length === 1 ? failures[0] : new AggregateError(failures),
  });
}
