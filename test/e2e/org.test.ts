// get_manager and list_direct_reports over a real MCP client: each user sees their own reporting lines, with the
// basic profile fields only, paged, and a deployment can offer direct reports without granting User.Read.All.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getManager } from '../../shared/tools/profile/getManager.js';
import { listDirectReports } from '../../shared/tools/profile/listDirectReports.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import type { McpClient } from '../support/mcpClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { callTool, connectAs, errorCode, expectListed, READ_ONLY, structured } from '../support/toolCalls.js';

let stack: TestStack;
const clients: McpClient[] = [];
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await stack.close();
});

async function as(user: typeof ADELE, on: TestStack = stack): Promise<McpClient> {
  const client = await connectAs(on, user);
  clients.push(client);
  return client;
}

describe('get_manager and list_direct_reports', () => {
  it('are listed as reads', async () => {
    await expectListed(await as(ADELE), { get_manager: READ_ONLY, list_direct_reports: READ_ONLY });
  });

  it('give each user their own manager, and no one\'s for a user the directory gives none', async () => {
    const from = stack.graph.requests.length;
    const adele = structured(getManager, await callTool(await as(ADELE), 'get_manager'));
    expect(adele).toEqual({ manager: { id: expect.any(String) as unknown, displayName: 'Patti Fernandez', mail: 'PattiF@contoso.example', userPrincipalName: 'PattiF@contoso.example', jobTitle: 'President' } });
    const request = stack.graph.requests[from];
    expect(new URL(request?.url ?? '', stack.graph.url).searchParams.get('$select')).toBe('id,displayName,mail,userPrincipalName,jobTitle');
    expect(request?.scopes).toEqual(['User.Read.All']);
    // Not department: nothing beyond the basic profile is read.
    expect(JSON.stringify(adele)).not.toContain('Executive');
    expect(structured(getManager, await callTool(await as(ALEX), 'get_manager')).manager).toMatchObject({ id: ADELE.oid, displayName: ADELE.name, mail: ADELE.upn });
    const megan = await callTool(await as(MEGAN), 'get_manager');
    expect(structured(getManager, megan)).toEqual({});
    expect(JSON.stringify(megan.content)).toMatch(/names no manager/);
  });

  it('pages through the caller\'s direct reports, users and contacts, with User.Read and User.ReadBasic.All', async () => {
    const adele = await as(ADELE);
    const from = stack.graph.requests.length;
    const first = structured(listDirectReports, await callTool(adele, 'list_direct_reports', { top: 3 }));
    expect(first.people.map((person) => person.displayName)).toEqual(['Alex Wilber', 'Lynne Robbins', 'Nestor Wilke']);
    expect(first.people[0]).toEqual({ id: ALEX.oid, displayName: ALEX.name, mail: ALEX.upn, userPrincipalName: ALEX.upn, jobTitle: 'Marketing Assistant' });
    expect(first.nextCursor).toBeDefined();
    const second = structured(listDirectReports, await callTool(adele, 'list_direct_reports', { cursor: first.nextCursor }));
    // An organizational contact has no sign-in name.
    expect(second).toEqual({ people: [{ id: expect.any(String) as unknown, displayName: 'Northwind Temp Staff', mail: 'staff@northwind.example', jobTitle: 'Seasonal staff' }] });
    expect(stack.graph.requests.slice(from).map((request) => [request.path, request.scopes])).toEqual([
      ['/v1.0/me/directReports', ['User.Read', 'User.ReadBasic.All']],
      ['/v1.0/me/directReports', ['User.Read', 'User.ReadBasic.All']],
    ]);
    expect(structured(listDirectReports, await callTool(await as(ALEX), 'list_direct_reports'))).toEqual({ people: [] });
  });

  it('keep each tenant\'s reporting lines to itself, and a cursor to the tool that issued it', async () => {
    const megan = await as(MEGAN);
    const reports = structured(listDirectReports, await callTool(megan, 'list_direct_reports'));
    expect(reports.people.map((person) => person.mail)).toEqual(['DiegoS@fabrikam.example', 'IsaiahL@fabrikam.example']);
    const adelePage = structured(listDirectReports, await callTool(await as(ADELE), 'list_direct_reports', { top: 1 }));
    expect(errorCode(await callTool(megan, 'find_people', { query: 'x', cursor: adelePage.nextCursor }))).toBe('cursor_invalid');
  });

  it('offer direct reports without get_manager where User.Read.All is not granted', async () => {
    const narrow = await startTestStack({ env: { MCP_TOOLSETS: 'profile', GRAPH_SCOPES_GRANTED: 'User.Read,People.Read,User.ReadBasic.All' } });
    try {
      const client = await connectAs(narrow, ADELE);
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['whoami', 'find_people', 'list_direct_reports']);
      expect(errorCode(await callTool(client, 'get_manager'))).toBe('tool_unknown');
      await client.close();
    } finally {
      await narrow.close();
    }
  });
});
