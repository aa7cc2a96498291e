// How many calls refused for their budget one user may add to the audit log per minute on one instance.
// Refusals are audited so an administrator sees an agent hammering a write tool; a flood of them must not
// turn into a flood of rows, so past the allowance they are counted in a log line instead.

export interface AuditAllowance {
  /** How many of `count` refusal rows the user may still write this minute (0 to `count`); takes them. */
  take(tid: string, oid: string, count: number): number;
}

const WINDOW_MS = 60_000;
/** Distinct users kept per window; past it the window starts afresh, which only ever admits more rows. */
const MAX_USERS = 10_000;

/** An allowance of `perMinute` rows per user per minute, held in this instance's memory; never throws. */
export function createAuditAllowance(perMinute: number, now: () => number = Date.now): AuditAllowance {
  let window = -1;
  const used = new Map<string, number>();
  return {
    take(tid, oid, count) {
      const current = Math.floor(now() / WINDOW_MS);
      if (current !== window || used.size >= MAX_USERS) {
        window = current;
        used.clear();
      }
      const key = `${tid}:${oid}`;
      const before = used.get(key) ?? 0;
      const granted = Math.max(0, Math.min(count, perMinute - before));
      used.set(key, before + granted);
      return granted;
    },
  };
}
