// A per-instance budget of refused requests per client address: past it, that address's refusals are answered 429
// (cheaply, unlogged one by one), while its callers with a valid token are still served.
import { clientAddress, type ClientAddressSource } from './clientAddress.js';
import { HttpError } from './httpError.js';

export interface RefusalBudgetOptions {
  /** Refusals per client address per minute; 0 turns the budget off. */
  readonly perMinute: number;
  /** Addresses tracked at once; past it the oldest window is forgotten (default 10,000). */
  readonly maxAddresses?: number;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Where the caller's address is (default: Azure Functions alone). */
  readonly source?: ClientAddressSource;
}

export interface RefusalBudget {
  /**
   * Counts one refusal against the request's address. Returns `HttpError` `too_many_refusals` (429,
   * Retry-After), to answer instead of the refusal, once the address has spent its budget.
   */
  record(request: Request): HttpError | undefined;
}

interface Window {
  readonly start: number;
  count: number;
}

const WINDOW_MS = 60_000;

/**
 * A fixed one-minute window per client address (`clientAddress`), in memory and bounded. Consulted only
 * for requests already refused, so a caller the address shares with an attacker (one NAT, one proxy) is
 * never turned away for it. Throws nothing.
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
    record(request) {
      if (options.perMinute === 0) return undefined;
      const time = options.now();
      forgetExpired(time);
      const address = clientAddress(request, options.source);
      const window = windows.get(address);
      if (window === undefined) {
        if (windows.size >= maxAddresses) windows.delete(windows.keys().next().value as string);
        windows.set(address, { start: time, count: 1 });
        return undefined;
      }
      if (window.count < options.perMinute) {
        window.count += 1;
        return undefined;
      }
      const retryAfter = Math.max(1, Math.ceil((window.start + WINDOW_MS - time) / 1000));
      return new HttpError('too_many_refusals', `Too many refused requests from this address; retry in ${retryAfter} seconds with a valid token`, {
        headers: { 'retry-after': String(retryAfter) },
      });
    },
  };
}
