// Params a method's schema refuses are JSON-RPC -32602 with a short message, never -32603 with a schema dump;
// tool arguments stay `isError` input_invalid results, short too; refused write calls are audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { INITIALIZE } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { callToolMessage, postMcp, toolErrorCode } from '../support/rawMcp.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

interface RpcAnswer {
  readonly id: number | string | null;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: { readonly code?: string } };
  readonly result?: { readonly isError?: boolean; readonly content?: { type: string; text: string }[]; readonly _meta?: Record<string, unknown> };
}

let stack: TestStack;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = await stack.idp.accessToken(ADELE);
});
afterAll(async () => {
  await stack.close();
});

/** Short, one line, and not a serialized list of schema issues. */
function expectShort(message: string | undefined): void {
  expect(message).toBeDefined();
  expect(message?.length).toBeLessThanOrEqual(300);
  expect(message).not.toMatch(/\n|^\[|"code":|✖/);
}

describe('params a method does not take', () => {
  it.each([
    ['tools/list with a numeric cursor', { method: 'tools/list', params: { cursor: 5 } }],
    ['tools/call without a tool name', { method: 'tools/call', params: { arguments: {} } }],
    ['tools/call with a numeric tool name', { method: 'tools/call', params: { name: 1 } }],
    ['tools/call with arguments that are not an object', { method: 'tools/call', params: { name: 'whoami', arguments: 'profile' } }],
    ['initialize without clientInfo', { method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {} } }],
    ['initialize with a numeric protocol version', { method: 'initialize', params: { ...INITIALIZE.params, protocolVersion: 5 } }],
  ])('%s: -32602 input_invalid with a short message', async (_label, message) => {
    const answer = await postMcp(stack.mcpUrl, token, { jsonrpc: '2.0', id: 9, ...message });
    expect(answer.status).toBe(200);
    const body = answer.body as RpcAnswer;
    expect(body.id).toBe(9);
    expect(body.error?.code).toBe(-32602);
    expect(body.error?.data?.code).toBe('input_invalid');
    expectShort(body.error?.message);
  });

  it('in a batch, answers the refused request and serves the others', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { cursor: 5 } },
      callToolMessage('whoami', { profile: false }, 2),
    ];
    const answer = await postMcp(stack.mcpUrl, token, batch, { 'mcp-protocol-version': '2025-03-26' });
    expect(answer.status).toBe(200);
    const [refused, served] = answer.body as RpcAnswer[];
    expect(refused?.id).toBe(1);
    expect(refused?.error?.code).toBe(-32602);
    expect(served?.id).toBe(2);
    expect(served?.result?.isError).toBeFalsy();
  });
});

describe('tool arguments their schema refuses', () => {
  it('are an isError input_invalid result whose text is short and readable', async () => {
    const answer = await postMcp(stack.mcpUrl, token, callToolMessage('list_messages', { top: 'ten', folder: 5, extra: 'x'.repeat(5000) }));
    const result = (answer.body as RpcAnswer).result;
    expect(result?.isError).toBe(true);
    expect(toolErrorCode(result ?? {})).toBe('input_invalid');
    const [message, hint] = (result?.content?.[0]?.text ?? '').split('\n');
    expectShort(message);
    expect(message).toMatch(/top/);
    expect(hint).toBeDefined();
  });
});

describe('write calls refused for their params', () => {
  it('are audited, also when the SDK would have refused them before any tool ran', async () => {
    const graphCalls = stack.graph.requests.length;
    const answer = await postMcp(stack.mcpUrl, token, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'send_mail', arguments: ['lee@contoso.example'] } });
    expect((answer.body as RpcAnswer).error?.code).toBe(-32602);
    const invalid = await postMcp(stack.mcpUrl, token, callToolMessage('create_draft', { to: 'not a list' }, 4));
    expect(toolErrorCode((invalid.body as RpcAnswer).result ?? {})).toBe('input_invalid');
    // Read tools are not audited, refused or not.
    await postMcp(stack.mcpUrl, token, { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'whoami', arguments: 'x' } });
    expect(stack.graph.requests.length).toBe(graphCalls);
    const rows = await tableRows(stackTable(stack, 'Audit'));
    expect(rows.map((row) => [row['oid'], row['tool'], row['outcome'], row['errorCode']]).sort()).toEqual([
      [ADELE.oid, 'create_draft', 'refused', 'input_invalid'],
      [ADELE.oid, 'send_mail', 'refused', 'input_invalid'],
    ]);
  });
});
