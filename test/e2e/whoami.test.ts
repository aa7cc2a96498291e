// A real MCP client over real HTTP: initialize, tools/list, and whoami as two different users.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADELE, MEGAN } from '../../sandbox/sampleUsers.js';
import { connectClient } from '../support/mcpClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

describe('whoami over Streamable HTTP', () => {
  it('initializes, lists tools and returns the caller', async () => {
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE));
    expect(client.getServerVersion()?.name).toBe('onbehalf');
    const { tools } = await client.listTools();
    const whoami = tools.find((tool) => tool.name === 'whoami');
    expect(whoami?.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true, destructiveHint: false });
    expect(whoami?.outputSchema).toBeDefined();
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.content).toBeDefined();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ tid: ADELE.tid, oid: ADELE.oid, upn: ADELE.upn, name: ADELE.name, scopes: ['access_as_user'], roles: ['Tools.Read', 'Tools.Write'] });
    await client.close();
  });

  it('gives a second user their own identity', async () => {
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(MEGAN));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    expect(result.structuredContent).toMatchObject({ tid: MEGAN.tid, oid: MEGAN.oid, upn: MEGAN.upn });
    // Megan holds no app role of this server: her token has no roles claim, and whoami no roles.
    expect(result.structuredContent).not.toHaveProperty('roles');
    await client.close();
  });
});
