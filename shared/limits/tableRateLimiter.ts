// RateLimiter on Table Storage: fixed one-minute windows, each instance leasing slices of a window's budget
// with one conditional write, so counting stays exact across instances at a fraction of an operation per request.
import { toStoreError } from '../tables/storeError.js';
import { loadTablesSdk } from '../tables/tablesSdk.js';
import { deleteMatching, type Table, type TableClients } from '../tables/tableClients.js';
import type { RateDecision, RateLimiter } from './rateLimiter.js';

export interface TableRateLimiterOptions {
  readonly tables: TableClients;
  readonly tenantPerMinute: number;
  readonly userPerMinute: number;
  /** Milliseconds since the epoch; injectable so window boundaries can be chosen. */
  readonly now?: () => number;
}

const WINDOW_MS = 60_000;
const MAX_CONFLICT_RETRIES = 20;

interface Lease {
  readonly window: number;
  /** Requests this instance may still admit in this window. */
  available: number;
  /** What the shared row said was leased by everyone, at our last write. */
  leasedByAll: number;
  exhausted: boolean;
  pending?: Promise<void>;
}

interface Bucket {
  readonly key: string;
  readonly budget: number;
}

interface CounterEntity {
  leased: number;
  windowEnd: number;
}

/** A slice small enough that what one instance leaves unused at a window's end is little, large enough to amortise the write. */
function sliceOf(budget: number): number {
  return Math.max(1, Math.ceil(budget / 10));
}

export function createTableRateLimiter(options: TableRateLimiterOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const leases = new Map<string, Lease>();

  /** One conditional write: take up to a slice of what is left of the window's budget. */
  const leaseMore = async (table: Table, bucket: Bucket, lease: Lease): Promise<void> => {
    const rowKey = String(lease.window);
    for (let attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
      let leased = 0;
      let etag: string | undefined;
      try {
        const row = await table.getEntity<CounterEntity>(bucket.key, rowKey);
        leased = row.leased;
        etag = row.etag;
      } catch (error) {
        if (toStoreError(error, 'read counter').code !== 'not_found') throw error;
      }
      const grant = Math.min(sliceOf(bucket.budget), bucket.budget - leased);
      if (grant <= 0) {
        lease.exhausted = true;
        lease.leasedByAll = leased;
        return;
      }
      const entity = { partitionKey: bucket.key, rowKey, leased: leased + grant, windowEnd: lease.window + WINDOW_MS };
      try {
        if (etag === undefined) await table.createEntity(entity);
        else await table.updateEntity(entity, 'Replace', etag);
        lease.available += grant;
        lease.leasedByAll = leased + grant;
        return;
      } catch (error) {
        if (toStoreError(error, 'lease').code !== 'conflict') throw error;
        // Another instance leased meanwhile: read again.
      }
    }
    throw new Error('rate limit counter too contended');
  };

  const takeFrom = async (bucket: Bucket, cost: number): Promise<RateDecision> => {
    const time = now();
    const window = Math.floor(time / WINDOW_MS) * WINDOW_MS;
    const id = `${bucket.key}@${window}`;
    let lease = leases.get(id);
    if (lease === undefined) {
      lease = { window, available: 0, leasedByAll: 0, exhausted: false };
      leases.set(id, lease);
      for (const [other, old] of leases) if (old.window < window) leases.delete(other);
    }
    // Concurrent requests of one instance wait for a single lease write instead of racing each other.
    while (lease.available < cost && !lease.exhausted) {
      lease.pending ??= leaseMore(options.tables.table('RateLimits'), bucket, lease).finally(() => {
        if (lease !== undefined) delete lease.pending;
      });
      await lease.pending;
    }
    const resetSeconds = Math.max(1, Math.ceil((window + WINDOW_MS - time) / 1000));
    // All or nothing: what a refused batch would have cost stays for requests that fit.
    const allowed = lease.available >= cost;
    if (allowed) lease.available -= cost;
    return { allowed, limit: bucket.budget, remaining: bucket.budget - lease.leasedByAll + lease.available, resetSeconds };
  };

  return {
    async take(tid, oid, log, cost = 1) {
      // The user's budget first: a request refused for its user never costs the tenant anything.
      const buckets: Bucket[] = [];
      if (options.userPerMinute > 0) buckets.push({ key: `user_${tid}_${oid}`, budget: options.userPerMinute });
      if (options.tenantPerMinute > 0) buckets.push({ key: `tenant_${tid}`, budget: options.tenantPerMinute });
      if (buckets.length === 0) return undefined;
      try {
        let tightest: RateDecision | undefined;
        for (const bucket of buckets) {
          const decision = await takeFrom(bucket, cost);
          if (tightest === undefined || decision.remaining < tightest.remaining || !decision.allowed) tightest = decision;
          if (!decision.allowed) break;
        }
        return tightest;
      } catch (error) {
        // Fail open: an unreachable counter must not take the service down with it.
        log.warn('rate limiter unavailable; request admitted', { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    },
    async purgeBefore(time) {
      try {
        const { odata } = await loadTablesSdk();
        return await deleteMatching(options.tables.table('RateLimits'), odata`windowEnd lt ${time}`);
      } catch (error) {
        throw toStoreError(error, 'purge rate limits');
      }
    },
  };
}
