// The tool policy through the real MCP client over HTTP: each user and client app lists exactly what it may call, and every other
// call is refused with what it needs, before any token exchange; refused writes are audited, refused reads counted and logged.
import type { McpClient } from '../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_ERROR_META_KEY } from '../../shared/mcp/toolErrorResult.js';
import { METRIC } from '../../shared/telemetry/attributes/names.js';
import { TOOLS, TOOLS_BY_SET } from '../../shared/tools/catalog.js';
import { DEV_FOUNDRY_CLIENT_ID, DEV_PUBLIC_CLIENT_ID } from '../../sandbox/identity/registrations.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { connectClient } from '../support/mcpClient.js';
import { stackTable, tableRows } from '../support/multiInstance.js';
import { postMcp } from '../support/rawMcp.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { callTool } from '../support/toolCalls.js';
import { installMemoryTelemetry } from '../telemetry/memoryTelemetry.js';

const telemetry = installMemoryTelemetry();

const REPORTING_APP = 'c0ffee00-1234-4abc-8def-0123456789ab';
const ALL = TOOLS.map((tool) => tool.name);
const READS = TOOLS.filter((tool) => tool.annotations.readOnlyHint).map((tool) => tool.name);
const WRITES = TOOLS.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name);
const MAIL_WRITES = TOOLS_BY_SET.mail.filter((tool) => !tool.annotations.readOnlyHint).map((tool) => tool.name);

interface Refusal {
  readonly code?: string;
  readonly reason?: string;
  readonly roles?: string[];
  readonly clientApps?: string[];
  readonly hint?: string;
}

const refusalOf = (result: CallToolResult) => result._meta?.[TOOL_ERROR_META_KEY] as Refusal | undefined;

const stacks: TestStack[] = [];
const clients: McpClient[] = [];
async function stackWith(env: Record<string, string>): Promise<TestStack> {
  const stack = await startTestStack({ env });
  stacks.push(stack);
  return stack;
}
async function connect(stack: TestStack, user: SampleUser, azp = DEV_PUBLIC_CLIENT_ID): Promise<McpClient> {
  const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(user, { azp }));
  clients.push(client);
  return client;
}
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all(stacks.map((stack) => stack.close()));
  await telemetry.shutdown();
});

const listed = async (client: McpClient) => (await client.listTools()).tools.map((tool) => tool.name);

/** Calls each tool (with no arguments: the refusal comes before they are read) and expects it refused, with no exchange and no Graph request. */
async function expectRefused(stack: TestStack, client: McpClient, names: readonly string[], expected: Omit<Refusal, 'code'>): Promise<void> {
  const exchanges = stack.idp.oboRequests.length;
  const graphRequests = stack.graph.requests.length;
  for (const name of names) {
    const result = await callTool(client, name);
    expect(result.isError, name).toBe(true);
    expect(refusalOf(result), name).toMatchObject({ code: 'tool_not_allowed', ...expected });
  }
  expect(stack.idp.oboRequests.length).toBe(exchanges);
  expect(stack.graph.requests.length).toBe(graphRequests);
}

/** The audit rows the server wrote for `user`. */
async function auditRowsOf(stack: TestStack, user: SampleUser): Promise<Record<string, unknown>[]> {
  return (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['oid'] === user.oid);
}

describe('roles: readers read, writers also write, and a user with neither gets nothing', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await stackWith({
      MCP_TOOL_POLICY: JSON.stringify({ roles: { 'Tools.Read': { toolsets: ['*'], readOnly: true }, 'Tools.Write': { toolsets: ['*'] } } }),
    });
  });

  it('lists every tool to Adele (Tools.Read and Tools.Write) and lets her write', async () => {
    const adele = await connect(stack, ADELE);
    expect(await listed(adele)).toEqual(ALL);
    // Past the policy, a write goes to Entra for its token (and then to Graph, which knows no such list).
    const exchanges = stack.idp.oboRequests.length;
    const result = await callTool(adele, 'create_task', { listId: 'no-such-list', title: 'Policy check' });
    expect(refusalOf(result)?.code).not.toBe('tool_not_allowed');
    expect(stack.idp.oboRequests.length).toBe(exchanges + 1);
  });

  it('lists only the read-only tools to Alex (Tools.Read), and refuses every write naming Tools.Write, before any exchange, audited', async () => {
    const alex = await connect(stack, ALEX);
    expect(await listed(alex)).toEqual(READS);
    await expectRefused(stack, alex, WRITES, { reason: 'role', roles: ['Tools.Write'] });
    const result = await callTool(alex, 'send_mail', { to: ['x@example.com'], subject: 's', body: 'b' });
    expect(result.content).toEqual([{ type: 'text', text: expect.stringContaining('send_mail needs the app role Tools.Write') as unknown }]);
    const rows = await auditRowsOf(stack, ALEX);
    expect(rows.map((row) => row['tool']).sort()).toEqual([...WRITES, 'send_mail'].sort());
    for (const row of rows) expect(row).toMatchObject({ outcome: 'refused', errorCode: 'tool_not_allowed', appId: DEV_PUBLIC_CLIENT_ID });
    // A refused call's arguments are never kept: no recipient count, no domain.
    expect(rows.find((row) => row['tool'] === 'send_mail' && row['recipientCount'] !== undefined)).toBeUndefined();
  });

  it('lists nothing to Megan (no role), and refuses a read naming both roles: not audited, but counted and logged', async () => {
    const megan = await connect(stack, MEGAN);
    expect(await listed(megan)).toEqual([]);
    telemetry.reset();
    await expectRefused(stack, megan, ['whoami', 'list_messages'], { reason: 'role', roles: ['Tools.Read', 'Tools.Write'] });
    expect(await auditRowsOf(stack, MEGAN)).toEqual([]);
    expect(await telemetry.total(METRIC.policyRefusals, { 'gen_ai.tool.name': 'whoami', 'onbehalf.policy.reason': 'role', 'onbehalf.tenant.id': MEGAN.tid })).toBe(1);
    const logged = telemetry.records().filter((record) => record.body === 'tool refused by policy');
    expect(logged.map((record) => record.attributes['tool'])).toEqual(['whoami', 'list_messages']);
    expect(logged[0]?.attributes).toMatchObject({ reason: 'role', tenant: MEGAN.tid, clientApp: DEV_PUBLIC_CLIENT_ID });
  });

  it('refuses a role the token does not carry, whatever the user may hold elsewhere: a token without roles gets nothing', async () => {
    const client = await connectClient(stack.mcpUrl, await stack.idp.accessToken(ADELE, { roles: undefined }));
    clients.push(client);
    expect(await listed(client)).toEqual([]);
  });
});

describe('everyone reads, one role sends mail, and client apps are granted their own sets', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await stackWith({
      MCP_TOOL_POLICY: JSON.stringify({
        everyone: { toolsets: ['*'], readOnly: true },
        roles: { 'Tools.Write': { toolsets: ['mail'] } },
        clientApps: { [DEV_FOUNDRY_CLIENT_ID]: { toolsets: ['*'] }, [DEV_PUBLIC_CLIENT_ID]: { toolsets: ['*'], readOnly: true } },
      }),
    });
  });

  it('gives Adele in the Foundry app every read and the mail writes; other writes are granted to no role', async () => {
    const adele = await connect(stack, ADELE, DEV_FOUNDRY_CLIENT_ID);
    expect(await listed(adele)).toEqual(ALL.filter((name) => READS.includes(name) || MAIL_WRITES.includes(name)));
    await expectRefused(stack, adele, ['create_event', 'post_channel_message'], { reason: 'role', roles: [] });
  });

  it('gives Adele in the read-only app only reads; a write names the app that may', async () => {
    const adele = await connect(stack, ADELE, DEV_PUBLIC_CLIENT_ID);
    expect(await listed(adele)).toEqual(READS);
    await expectRefused(stack, adele, MAIL_WRITES, { reason: 'client_app', clientApps: [DEV_FOUNDRY_CLIENT_ID] });
  });

  it('gives Megan (no role) in the Foundry app the reads everyone has; sending names Tools.Write', async () => {
    const megan = await connect(stack, MEGAN, DEV_FOUNDRY_CLIENT_ID);
    expect(await listed(megan)).toEqual(READS);
    await expectRefused(stack, megan, ['send_mail'], { reason: 'role', roles: ['Tools.Write'] });
    expect((await callTool(megan, 'whoami', { profile: false })).isError).toBeFalsy();
  });

  it('gives an app the policy does not name nothing, and names the apps that may', async () => {
    const other = await connect(stack, ADELE, REPORTING_APP);
    expect(await listed(other)).toEqual([]);
    await expectRefused(stack, other, ['whoami'], { reason: 'client_app', clientApps: [DEV_FOUNDRY_CLIENT_ID, DEV_PUBLIC_CLIENT_ID] });
  });
});

describe('MCP_READ_ONLY=1', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await stackWith({ MCP_READ_ONLY: '1' });
  });

  it('hides every write tool from every caller and refuses each before any exchange, audited; reads still work', async () => {
    for (const user of [ADELE, MEGAN]) {
      const client = await connect(stack, user);
      expect(await listed(client)).toEqual(READS);
      await expectRefused(stack, client, WRITES, { reason: 'read_only' });
      const rows = await auditRowsOf(stack, user);
      expect(rows.map((row) => row['tool']).sort()).toEqual([...WRITES].sort());
      for (const row of rows) expect(row).toMatchObject({ outcome: 'refused', errorCode: 'tool_not_allowed' });
    }
    const adele = await connect(stack, ADELE);
    expect((await callTool(adele, 'whoami', { profile: false })).isError).toBeFalsy();
  });

  it('outranks any grant: a policy that lets Adele write still refuses her writes', async () => {
    const both = await stackWith({ MCP_READ_ONLY: '1', MCP_TOOL_POLICY: JSON.stringify({ everyone: { toolsets: ['*'] } }) });
    const adele = await connect(both, ADELE);
    expect(await listed(adele)).toEqual(READS);
    await expectRefused(both, adele, ['send_mail'], { reason: 'read_only' });
  });
});

describe('the Foundry app only (MCP_ALLOWED_CLIENT_APPS)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await stackWith({ MCP_ALLOWED_CLIENT_APPS: DEV_FOUNDRY_CLIENT_ID });
  });

  it('serves the Foundry app, and refuses every other app\'s client with 403 before it can initialize', async () => {
    expect(await listed(await connect(stack, ADELE, DEV_FOUNDRY_CLIENT_ID))).toEqual(ALL);
    const exchanges = stack.idp.oboRequests.length;
    const otherApp = await stack.idp.accessToken(ADELE, { azp: DEV_PUBLIC_CLIENT_ID });
    // Each SDK line reports the 403 its own way (the v1 client's code is the status, the v2 client's a name):
    // the answer itself is the same in both eras.
    await expect(connectClient(stack.mcpUrl, otherApp)).rejects.toThrow();
    const answer = await postMcp(stack.mcpUrl, otherApp, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatchObject({ error: { data: { code: 'client_app_not_allowed' } } });
    expect(stack.idp.oboRequests.length).toBe(exchanges);
  });
});
