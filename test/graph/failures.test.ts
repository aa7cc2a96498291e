// Graph failures as the user sees them: bounded retries on throttling, typed errors, and nothing leaked.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectClient } from '../support/mcpClient.js';
import { toolErrorCode } from '../support/rawMcp.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});
beforeEach(() => {
  stack.graph.faults.length = 0;
  stack.graph.requests.length = 0;
});

const meCalls = () => stack.graph.requests.filter((request) => request.path === '/v1.0/me');

describe('Graph failures', () => {
  it('waits out a 429 with Retry-After and then succeeds', async () => {
    stack.graph.faults.push({ status: 429, retryAfterSeconds: 1, times: 1, path: /^\/me$/ });
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(meCalls().map((request) => request.status)).toEqual([429, 200]);
    await client.close();
  });

  it('stops after three tries of a persistent 503 and says when to retry', async () => {
    stack.graph.faults.push({ status: 503, retryAfterSeconds: 1, times: 10, path: /^\/me$/ });
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe('unavailable');
    expect((result._meta?.['onbehalf/error'] as { retryAfterSeconds?: number }).retryAfterSeconds).toBe(1);
    expect(meCalls()).toHaveLength(3);
    await client.close();
  });

  it.each([
    [404, 'not_found'],
    [403, 'forbidden'],
    [400, 'bad_request'],
  ])('maps Graph %i to %s without retrying', async (status, code) => {
    stack.graph.faults.push({ status, times: 1, path: /^\/me$/ });
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe(code);
    expect(meCalls()).toHaveLength(1);
    await client.close();
  });

  it('never sends the caller\'s token to Graph, and never shows a token or a stack trace', async () => {
    const token = await stack.idp.accessToken(ADELE);
    const client = await connectClient(stack.mcpUrl, token);
    stack.graph.faults.push({ status: 503, retryAfterSeconds: 0, times: 3, path: /^\/me$/ });
    const failed = await client.callTool({ name: 'whoami', arguments: {} });
    const succeeded = await client.callTool({ name: 'whoami', arguments: {} });
    expect(stack.graph.requests.length).toBeGreaterThan(0);
    for (const request of stack.graph.requests) {
      expect(request.authorization).toMatch(/^Bearer /);
      expect(request.authorization).not.toContain(token);
    }
    for (const result of [failed, succeeded]) {
      const text = JSON.stringify(result);
      expect(text).not.toContain(token);
      expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
      expect(text).not.toMatch(/\n\s+at /);
    }
    await client.close();
  });
});
