// The bounded, expiring memo behind the verified-token and Graph-token caches.
import { describe, expect, it } from 'vitest';
import { createExpiringCache } from '../../shared/auth/expiringCache.js';

describe('createExpiringCache', () => {
  it('serves an entry until its own time, and not after', () => {
    const cache = createExpiringCache<string>(10);
    cache.set('a', 'first', 1_000, 0);
    expect(cache.get('a', 999)).toBe('first');
    expect(cache.get('a', 1_000)).toBeUndefined();
    expect(cache.get('a', 500)).toBeUndefined(); // gone once expired, not revived
  });

  it('ignores an entry that has already expired', () => {
    const cache = createExpiringCache<string>(10);
    cache.set('a', 'late', 100, 100);
    expect(cache.get('a', 50)).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = createExpiringCache<number>(2);
    cache.set('a', 1, 10_000, 0);
    cache.set('b', 2, 10_000, 0);
    cache.set('c', 3, 10_000, 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toBe(2);
    expect(cache.get('c', 1)).toBe(3);
  });
});
