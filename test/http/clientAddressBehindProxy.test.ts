// Over real HTTP, through a proxy that appends as Front Door does: MCP_CLIENT_ADDRESS_SOURCE gives each caller behind it a
// refused-request budget of its own, and no X-Forwarded-For a caller writes picks a key, with the setting or without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { startForwardingProxy, type ForwardingProxy } from '../support/forwardingProxy.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { rawRequest, type RpcErrorBody } from './rawRequest.js';

const BUDGET = 3;

interface Refusal {
  readonly status: number;
  readonly code: string | undefined;
}

/** A request with a malformed token (it spends the budget) from loopback address `from`, to `port`. */
async function refused(port: number, from: string, forwardedFor?: string): Promise<Refusal> {
  const headers = mcpHeaders('garbage', forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor });
  const answer = await rawRequest(port, { method: 'POST', headers, body: JSON.stringify(INITIALIZE), localAddress: from });
  return { status: answer.status, code: (JSON.parse(answer.text) as RpcErrorBody).error.data?.code };
}

/** Spends `from`'s whole budget; every answer a 401. */
async function exhaust(port: number, from: string, forwardedFor?: (i: number) => string): Promise<void> {
  for (let i = 0; i < BUDGET; i += 1) expect((await refused(port, from, forwardedFor?.(i))).status).toBe(401);
}

const TOO_MANY = { status: 429, code: 'too_many_refusals' };
const CHALLENGED = { status: 401, code: 'token_malformed' };

describe('MCP_CLIENT_ADDRESS_SOURCE=front-door, behind a proxy that appends', () => {
  let stack: TestStack;
  let proxy: ForwardingProxy;
  beforeAll(async () => {
    stack = await startTestStack({ env: { MCP_CLIENT_ADDRESS_SOURCE: 'front-door' }, app: { refusalsPerMinute: BUDGET } });
    proxy = await startForwardingProxy(stack.host.port);
  });
  afterAll(async () => {
    await proxy.close();
    await stack.close();
  });

  it('two callers behind the one proxy address have a budget each', async () => {
    await exhaust(proxy.port, '127.0.0.2');
    expect(await refused(proxy.port, '127.0.0.2')).toEqual(TOO_MANY);
    expect(await refused(proxy.port, '127.0.0.3')).toEqual(CHALLENGED);
  });

  it('a caller writing a new X-Forwarded-For each time stays on its own budget', async () => {
    await exhaust(proxy.port, '127.0.0.4', (i) => `198.18.0.${i}`);
    expect(await refused(proxy.port, '127.0.0.4', '198.18.0.99, 127.0.0.5')).toEqual(TOO_MANY);
  });

  it('a caller naming another caller\'s address spends its own budget, not the other\'s', async () => {
    await exhaust(proxy.port, '127.0.0.6', () => '127.0.0.7');
    expect(await refused(proxy.port, '127.0.0.6', '127.0.0.7')).toEqual(TOO_MANY);
    expect(await refused(proxy.port, '127.0.0.7')).toEqual(CHALLENGED);
  });
});

describe('the default (Azure Functions alone)', () => {
  let stack: TestStack;
  let proxy: ForwardingProxy;
  beforeAll(async () => {
    stack = await startTestStack({ app: { refusalsPerMinute: BUDGET } });
    proxy = await startForwardingProxy(stack.host.port);
  });
  afterAll(async () => {
    await proxy.close();
    await stack.close();
  });

  it('a forged X-Forwarded-For picks no key: the attacker spends its own budget, the address it names keeps its own', async () => {
    await exhaust(stack.host.port, '127.0.0.8', () => '127.0.0.9');
    expect(await refused(stack.host.port, '127.0.0.8', '203.0.113.200')).toEqual(TOO_MANY);
    expect(await refused(stack.host.port, '127.0.0.9')).toEqual(CHALLENGED);
  });

  it('behind a proxy, its callers share the proxy\'s one budget: what the setting is for', async () => {
    await exhaust(proxy.port, '127.0.0.10');
    expect(await refused(proxy.port, '127.0.0.11')).toEqual(TOO_MANY);
  });
});
