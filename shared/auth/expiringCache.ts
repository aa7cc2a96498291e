// A bounded map whose entries end at a time of their own: the oldest entry goes first when it is full.

export interface ExpiringCache<T> {
  get(key: string, now?: number): T | undefined;
  /** Keeps `value` until `until` (ms since the epoch); ignored when that has passed. */
  set(key: string, value: T, until: number, now?: number): void;
}

export function createExpiringCache<T>(maxEntries: number): ExpiringCache<T> {
  const entries = new Map<string, { value: T; until: number }>();
  return {
    get(key, now = Date.now()) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (now >= entry.until) {
        entries.delete(key);
        return undefined;
      }
      return entry.value;
    },
    set(key, value, until, now = Date.now()) {
      if (until <= now) return;
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(key, { value, until });
    },
  };
}
