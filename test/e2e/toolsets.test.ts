// MCP_TOOLSETS and GRAPH_SCOPES_GRANTED over a real MCP client: which tools are listed and callable, and the size of tools/list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLSETS } from '../../shared/config/toolsets.js';
import { TOOLS, TOOLS_BY_SET } from '../../shared/tools/catalog.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { connectClient, INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { startTestStack, type TestStack, type TestStackOptions } from '../support/testStack.js';
import { callTool, connectAs, errorCode } from '../support/toolCalls.js';

/** The budget the whole tools/list answer must fit with every tool set on: what an agent pays in context per conversation. */
const TOOLS_LIST_BUDGET_BYTES = 55 * 1024;

const stacks: TestStack[] = [];
async function stackWith(env: TestStackOptions['env']): Promise<TestStack> {
  const stack = await startTestStack({ env });
  stacks.push(stack);
  return stack;
}
afterAll(async () => {
  await Promise.all(stacks.map((stack) => stack.close()));
});

async function listedNames(stack: TestStack): Promise<string[]> {
  const client = await connectAs(stack, ADELE);
  const { tools } = await client.listTools();
  await client.close();
  return tools.map((tool) => tool.name);
}

const namesOf = (...sets: (keyof typeof TOOLS_BY_SET)[]) => sets.flatMap((set) => TOOLS_BY_SET[set].map((tool) => tool.name));

describe('tool sets', () => {
  let all: TestStack;
  beforeAll(async () => {
    all = await stackWith({});
  });

  it('gives every tool exactly one set, and every set at least one tool', () => {
    expect(TOOLSETS.flatMap((set) => TOOLS_BY_SET[set]).map((tool) => tool.name)).toEqual(TOOLS.map((tool) => tool.name));
    expect(new Set(TOOLS.map((tool) => tool.name)).size).toBe(TOOLS.length);
    for (const set of TOOLSETS) expect(TOOLS_BY_SET[set].length, set).toBeGreaterThan(0);
  });

  it('offers every area by default', async () => {
    expect(await listedNames(all)).toEqual(TOOLS.map((tool) => tool.name));
  });

  it(`keeps the whole tools/list answer within ${TOOLS_LIST_BUDGET_BYTES} bytes with every set on`, async () => {
    const token = await all.idp.accessToken(ADELE);
    const headers = mcpHeaders(token);
    const list = await fetch(all.mcpUrl, {
      method: 'POST',
      headers: { ...headers, 'mcp-protocol-version': INITIALIZE.params.protocolVersion },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    const body = await list.text();
    expect(list.status).toBe(200);
    expect((JSON.parse(body) as { result: { tools: unknown[] } }).result.tools).toHaveLength(TOOLS.length);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(TOOLS_LIST_BUDGET_BYTES);
  });

  it('lists and runs only the chosen areas\' tools; others are unknown tools', async () => {
    const stack = await stackWith({ MCP_TOOLSETS: 'tasks,profile' });
    expect(await listedNames(stack)).toEqual(namesOf('profile', 'tasks'));
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    const graph = stack.graph.requests.length;
    for (const name of ['list_chats', 'send_chat_message', 'list_messages', 'read_page']) {
      expect(errorCode(await callTool(client, name, {})), name).toBe('tool_unknown');
    }
    expect(stack.graph.requests.length).toBe(graph);
    expect((await callTool(client, 'list_task_lists')).isError).toBeFalsy();
    await client.close();
  });

  it('offers a tool only when its area is chosen and its scopes are granted', async () => {
    // Mail.Send granted, but the mail area not chosen; the tasks scopes granted, but not the area. (An area chosen
    // with none of its scopes granted stops the start: test/config/parseConfig.test.ts.)
    const stack = await stackWith({ MCP_TOOLSETS: 'teams,notes', GRAPH_SCOPES_GRANTED: 'Chat.Read,Team.ReadBasic.All,Channel.ReadBasic.All,Notes.Read,Tasks.ReadWrite,Tasks.Read,Mail.Send' });
    expect(await listedNames(stack)).toEqual(['list_chats', 'list_chat_messages', 'list_teams', 'list_channels', 'list_notebooks', 'list_pages', 'read_page']);
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    expect(errorCode(await callTool(client, 'post_channel_message', { teamId: 'x', channelId: 'y', text: 'z' }))).toBe('tool_unknown');
    expect(errorCode(await callTool(client, 'create_task', { listId: 'x', title: 'y' }))).toBe('tool_unknown');
    expect(errorCode(await callTool(client, 'send_mail', { to: ['a@b.example'], subject: 'y', body: 'z' }))).toBe('tool_unknown');
    await client.close();
  });
});
