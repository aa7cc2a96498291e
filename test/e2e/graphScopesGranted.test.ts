// GRAPH_SCOPES_GRANTED as a deployment sets it: tools needing a scope it lacks are neither listed nor callable.
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOLS } from '../../shared/tools/catalog.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { connectClient } from '../support/mcpClient.js';
import { toolErrorCode } from '../support/rawMcp.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

// Any case, any spacing: as infra/ passes on what the deployer typed.
const GRANTED = ' user.read, Mail.Read ';
const grantedSet = new Set(['user.read', 'mail.read']);
const offered = TOOLS.filter((tool) => tool.scopes.every((scope) => grantedSet.has(scope.toLowerCase()))).map((tool) => tool.name);
const withheld = TOOLS.filter((tool) => !offered.includes(tool.name));

let stack: TestStack;
let client: McpClient;
beforeAll(async () => {
  stack = await startTestStack({ env: { GRAPH_SCOPES_GRANTED: GRANTED } });
  client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
});
afterAll(async () => {
  await client.close();
  await stack.close();
});

describe('GRAPH_SCOPES_GRANTED', () => {
  it('lists exactly the tools whose every scope is granted', async () => {
    expect(offered).toEqual(expect.arrayContaining(['whoami', 'list_messages']));
    expect(withheld.length).toBeGreaterThan(0);
    const listed = (await client.listTools()).tools.map((tool) => tool.name);
    expect(listed.sort()).toEqual([...offered].sort());
  });

  it.each(withheld.map((tool) => tool.name))('refuses a call to %s with tool_unknown, before any token exchange', async (name) => {
    const exchanges = stack.idp.oboRequests.length;
    const result = await client.callTool({ name, arguments: {} });
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe('tool_unknown');
    expect(stack.idp.oboRequests.length).toBe(exchanges);
  });

  it('still serves a granted tool, exchanging for its scope only', async () => {
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.isError).not.toBe(true);
    expect(stack.idp.oboRequests.at(-1)?.scopes).toEqual(['User.Read']);
  });
});
