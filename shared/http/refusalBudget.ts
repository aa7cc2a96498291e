// A per-instance budget of refused requests per client address: past it, that address is answered 429 before any work.
import { clientAddress } from './clientAddress.js';
import { HttpError } from './httpError.js';

export interface RefusalBudgetOptions {
  /** Refusals per client address per minute; 0 turns the budget off. */
  readonly perMinute: number;
  /** Addresses tracked at once; past it the oldest window is forgotten (default 10,000). */
  readonly maxAddresses?: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
}

export interface RefusalBudget {
  /** Throws `HttpError` `too_many_refusals` (429, Retry-After) when the request's address has spent its budget. */
  check(request: Request): void;
  /** Counts one refusal against the request's address. */
  record(request: Request): void;
}

interface Window {
  readonly start: number;
  count: number;
}

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per client address (`clientAddress`), in memory and bounded. Its
 * `check` throws `HttpError` `too_many_refusals`; creating it throws nothing.
 */
export function createRefusalBudget(options: RefusalBudgetOptions): RefusalBudget {
  const maxAddresses = options.maxAddresses ?? 10_000;
  // Insertion order is window-start order: the first entry is always the oldest.
  const windows = new Map<string, Window>();

  const forgetExpired = (time: number): void => {
    for (const [address, window] of windows) {
      if (time - window.start < WINDOW_MS) return;
      windows.delete(address);
    }
  };

  return {
    check(request) {
      // Nothing refused lately (the steady state): one comparison, and no header is read.
      if (windows.size === 0 || options.perMinute === 0) return;
      const time = options.now();
      forgetExpired(time);
      const window = windows.get(clientAddress(request));
      if (window === undefined || window.count < options.perMinute) return;
      const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - time) / 1000));
      throw new HttpError('too_many_refusals', `Too many refused requests from this address; retry in ${retryAfter} seconds with a valid token`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    },
    record(request) {
      if (options.perMinute === 0) return;
      const time = options.now();
      forgetExpired(time);
      const address = clientAddress(request);
      const window = windows.get(address);
      if (window !== undefined) {
        window.count += 1;
        return;
      }
      if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
      windows.set(address, { start: time, count: 1 });
    },
  };
}
