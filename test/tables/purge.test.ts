// The timer's purge: two running at once both succeed (a row the other deleted first is done, not an error), and one
// failing purge never skips the other.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../shared/limits/rateLimiter.js';
import { purgeExpiredState } from '../../shared/mcp/purgeExpiredState.js';
import type { SessionStore } from '../../shared/session/sessionStore.js';
import { StoreError } from '../../shared/tables/storeError.js';
import { startServerInstance, stackTable, tableRows, type ServerInstance } from '../support/multiInstance.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ROWS = 40;

let stack: TestStack;
let other: ServerInstance;
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_SESSION_MODE: 'stateful' } });
  other = await startServerInstance(stack);
});
afterAll(async () => {
  await other.close();
  await stack.close();
});

describe('two purges at once, against Azurite', () => {
  it('both succeed, and between them delete every expired session and past counter exactly once', async () => {
    const sessions = stackTable(stack, 'Sessions');
    const counters = stackTable(stack, 'RateLimits');
    await sessions.createTable();
    await counters.createTable();
    const past = Date.now() - 60_000;
    const live = Date.now() + 3_600_000;
    for (let n = 0; n < ROWS; n++) {
      await sessions.createEntity({ partitionKey: randomUUID().replaceAll('-', ''), rowKey: 'session', expiresAt: past, absoluteExpiresAt: past });
      await counters.createEntity({ partitionKey: `user_${randomUUID()}`, rowKey: String(past - 60_000), leased: 1, windowEnd: past });
    }
    const keep = randomUUID().replaceAll('-', '');
    await sessions.createEntity({ partitionKey: keep, rowKey: 'session', expiresAt: live, absoluteExpiresAt: live });

    const results = await Promise.all([stack.app.purge(), other.app.purge()]);
    expect(results.reduce((sum, result) => sum + result.sessions, 0)).toBe(ROWS);
    expect(results.reduce((sum, result) => sum + result.rateLimitRows, 0)).toBe(ROWS);
    expect((await tableRows(sessions)).map((row) => row.partitionKey)).toEqual([keep]);
    expect(await tableRows(counters)).toEqual([]);
    // Nothing left: a third purge finds nothing, and that is success too.
    expect(await stack.app.purge()).toEqual({ sessions: 0, rateLimitRows: 0 });
  });
});

describe('one purge failing', () => {
  const failing = (): Promise<number> => Promise.reject(new StoreError('unavailable', 'Table Storage unavailable'));
  const store = (purge: () => Promise<number>, calls: string[]): SessionStore => ({
    create: () => Promise.resolve(),
    get: () => Promise.resolve(undefined),
    touch: () => Promise.resolve(),
    delete: () => Promise.resolve(),
    purgeExpired: () => {
      calls.push('sessions');
      return purge();
    },
  });
  const limiter = (purge: () => Promise<number>, calls: string[]): RateLimiter => ({
    take: () => Promise.resolve(undefined),
    purgeBefore: () => {
      calls.push('rateLimits');
      return purge();
    },
  });

  it.each([
    ['sessions', failing, () => Promise.resolve(3)],
    ['rate limits', () => Promise.resolve(2), failing],
  ])('when %s fail, the other purge still runs and the failure is reported as StoreError unavailable', async (_which, sessionsPurge, limiterPurge) => {
    const calls: string[] = [];
    const outcome = purgeExpiredState(store(sessionsPurge, calls), limiter(limiterPurge, calls), Date.now());
    await expect(outcome).rejects.toBeInstanceOf(StoreError);
    await expect(outcome).rejects.toMatchObject({ code: 'unavailable' });
    expect(calls.sort()).toEqual(['rateLimits', 'sessions']);
  });
});
