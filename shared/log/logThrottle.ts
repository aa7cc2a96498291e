// A per-instance token bucket for log lines of one kind, so a flood of refusals cannot fill the logs.
import type { Logger } from './logger.js';

export interface LogThrottleOptions {
  /** Lines of one kind written back to back before the bucket holds them (default 20). */
  readonly burst?: number;
  /** Lines of one kind per second once the burst is spent (default 1). */
  readonly perSecond?: number;
  /** Least time between two "lines suppressed" summaries of one kind (default 60 s). */
  readonly summaryEveryMs?: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export interface LogThrottle {
  /**
   * Whether a line of kind `kind` may be written now. Lines held back are counted; once a summary
   * period has passed since the first of them, the next call of that kind writes the count to `log`
   * as one warning.
   */
  admit(kind: string, log: Logger): boolean;
}

interface Bucket {
  tokens: number;
  updated: number;
  suppressed: number;
  /** When the lines now counted in `suppressed` began to be held back. */
  since: number;
}

// Kinds are our own error codes, a closed set; the bound only guards against a caller ever choosing one.
const MAX_KINDS = 256;

/** A throttle with one bucket per kind of line, in memory, per instance. Throws nothing. */
export function createLogThrottle(options: LogThrottleOptions = {}): LogThrottle {
  const burst = options.burst ?? 20;
  const perMs = (options.perSecond ?? 1) / 1000;
  const summaryEveryMs = options.summaryEveryMs ?? 60_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();

  return {
    admit(kind, log) {
      const time = now();
      let bucket = buckets.get(kind);
      if (bucket === undefined) {
        if (buckets.size >= MAX_KINDS) kind = 'other';
        bucket = buckets.get(kind) ?? { tokens: burst, updated: time, suppressed: 0, since: time };
        buckets.set(kind, bucket);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + (time - bucket.updated) * perMs);
      bucket.updated = time;
      if (bucket.suppressed > 0 && time - bucket.since >= summaryEveryMs) {
        log.warn('log lines suppressed', { kind, suppressed: bucket.suppressed, seconds: Math.round((time - bucket.since) / 1000) });
        bucket.suppressed = 0;
      }
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      if (bucket.suppressed === 0) bucket.since = time;
      bucket.suppressed += 1;
      return false;
    },
  };
}
