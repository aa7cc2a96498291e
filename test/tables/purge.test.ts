// The timer's purge (rate-limit counters, multi-round states): two running at once both succeed (a row the other deleted first is done, not an error), and a
// failing store is reported as a StoreError.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../shared/limits/rateLimiter.js';
import { purgeExpiredState } from '../../shared/mcp/purgeExpiredState.js';
import type { StateStore } from '../../shared/requestState/stateStore.js';
import { StoreError } from '../../shared/tables/storeError.js';
import { startServerInstance, stackTable, tableRows, type ServerInstance } from '../support/multiInstance.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const ROWS = 40;

let stack: TestStack;
let other: ServerInstance;
beforeAll(async () => {
  stack = await startTestStack();
  other = await startServerInstance(stack);
});
afterAll(async () => {
  await other.close();
  await stack.close();
});

describe('two purges at once, against Azurite', () => {
  it('both succeed, and between them delete every past counter exactly once', async () => {
    const counters = stackTable(stack, 'RateLimits');
    await counters.createTable();
    const past = Date.now() - 60_000;
    const live = Date.now() + 3_600_000;
    for (let n = 0; n < ROWS; n++) {
      await counters.createEntity({ partitionKey: `user_${randomUUID()}`, rowKey: String(past - 60_000), leased: 1, windowEnd: past });
    }
    const keep = `user_${randomUUID()}`;
    await counters.createEntity({ partitionKey: keep, rowKey: String(live - 60_000), leased: 1, windowEnd: live });

    const results = await Promise.all([stack.app.purge(), other.app.purge()]);
    expect(results.reduce((sum, result) => sum + result.rateLimitRows, 0)).toBe(ROWS);
    expect((await tableRows(counters)).map((row) => row.partitionKey)).toEqual([keep]);
    // Nothing left to purge: a third purge finds nothing, and that is success too.
    expect(await stack.app.purge()).toEqual({ rateLimitRows: 0, requestStateRows: 0 });
  });

  it('delete every expired multi-round state exactly once, and keep the live ones', async () => {
    const states = stackTable(stack, 'RequestStates');
    await states.createTable();
    for (let n = 0; n < 5; n++) await states.createEntity({ partitionKey: `expired${n}`, rowKey: 'state', expiresAt: Date.now() - 1_000 });
    await states.createEntity({ partitionKey: 'live', rowKey: 'state', expiresAt: Date.now() + 600_000 });
    const results = await Promise.all([stack.app.purge(), other.app.purge()]);
    expect(results.reduce((sum, result) => sum + result.requestStateRows, 0)).toBe(5);
    expect((await tableRows(states)).map((row) => row.partitionKey)).toEqual(['live']);
  });
});

describe('a failing purge', () => {
  it('is reported as the store\'s StoreError', async () => {
    const limiter: RateLimiter = {
      take: () => Promise.resolve(undefined),
      purgeBefore: () => Promise.reject(new StoreError('unavailable', 'Table Storage unavailable')),
    };
    const states: StateStore = { create: () => Promise.reject(new Error('unused')), consume: () => Promise.reject(new Error('unused')), purgeBefore: () => Promise.resolve(0) };
    await expect(purgeExpiredState(limiter, states, Date.now())).rejects.toMatchObject({ name: 'StoreError', code: 'unavailable' });
  });
});
