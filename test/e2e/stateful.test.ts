// The end-to-end suite in stateful mode: the SDK client keeps its session through initialize, tools/list and each area's read tool, then ends it.
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../support/mcpClient.js';
import { postMcp } from '../support/rawMcp.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const DAY = 86_400_000;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_SESSION_MODE: 'stateful' } });
});
afterAll(async () => {
  await stack.close();
});

/** One read tool of each area, with arguments that succeed for a seeded user. */
const READ_TOOLS: readonly [string, Record<string, unknown>][] = [
  ['whoami', {}],
  ['find_people', { query: 'Alex' }],
  ['list_messages', { top: 5 }],
  ['list_drive_items', {}],
  ['list_events', { start: new Date(Date.now() - 7 * DAY).toISOString(), end: new Date(Date.now() + 7 * DAY).toISOString() }],
  ['list_chats', { top: 5 }],
  ['list_task_lists', {}],
  ['list_notebooks', {}],
];

describe('stateful mode end to end', () => {
  it('initializes, lists tools, calls each area\'s read tool in one session, and ends it with DELETE', async () => {
    const token = await stack.idp.accessToken(ADELE);
    const client = await connectClient(stack.mcpUrl, token);
    const transport = client.transport as StreamableHTTPClientTransport;
    const id = transport.sessionId ?? '';
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(client.getServerVersion()?.name).toBe('onbehalf');

    const { tools } = await client.listTools();
    const offered = new Set(tools.map((tool) => tool.name));
    const called = READ_TOOLS.filter(([name]) => offered.has(name));
    expect(called.map(([name]) => name)).toEqual(expect.arrayContaining(['whoami', 'find_people', 'list_messages', 'list_drive_items', 'list_chats', 'list_task_lists', 'list_notebooks']));
    for (const [name, args] of called) {
      const result = await client.callTool({ name, arguments: args }) as CallToolResult;
      expect(result.isError, `${name}: ${JSON.stringify(result)}`).toBeFalsy();
      expect(result.structuredContent, name).toBeDefined();
      expect(transport.sessionId, name).toBe(id);
    }
    const whoami = await client.callTool({ name: 'whoami', arguments: {} });
    expect(whoami.structuredContent).toMatchObject({ tid: ADELE.tid, oid: ADELE.oid, upn: ADELE.upn });

    await transport.terminateSession();
    expect(transport.sessionId).toBeUndefined();
    const after = await postMcp(stack.mcpUrl, token, { jsonrpc: '2.0', id: 9, method: 'tools/list' }, { 'mcp-session-id': id });
    expect(after.status).toBe(404);
    expect((after.body as { error: { data: { code: string } } }).error.data.code).toBe('session_not_found');
    await client.close();
  });
});
