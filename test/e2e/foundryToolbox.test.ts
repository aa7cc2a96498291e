// A hosted agent acting as its user through a Foundry toolbox, end to end: the SDK's MCP client against the toolbox stand-in, which calls the real server.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import type { ConsentRequestItem, McpCallItem } from '../../sandbox/foundry/agentService.js';
import type { FoundryConnection } from '../../sandbox/foundry/connection.js';
import { consentLinkOf, runHostedTurn, type HostedAgentOptions } from '../../sandbox/foundry/hostedAgent.js';
import { startToolbox, type Toolbox } from '../../sandbox/foundry/toolbox.js';
import { CALL_ID_HEADER, createTurns, type Turns } from '../../sandbox/foundry/turns.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { printedConnection } from '../support/foundryConnection.js';
import { HttpBrowser } from '../support/httpBrowser.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const LIFETIME_SECONDS = 300;
const WHOAMI = { name: 'whoami', arguments: {} };

let stack: TestStack;
let connection: FoundryConnection;
let turns: Turns;
let toolbox: Toolbox;
let agent: HostedAgentOptions;
/** How far the toolbox's clock runs ahead: moving it past a token's expiry is what an hour of waiting would do. */
let ahead = 0;

beforeAll(async () => {
  stack = await startTestStack();
  stack.idp.accessTokenLifetimeSeconds = LIFETIME_SECONDS;
  connection = await printedConnection(stack);
  turns = createTurns();
  toolbox = await startToolbox({ connection, projectTenantId: DEV_TENANT_ID, turns, now: () => Date.now() + ahead });
  agent = { toolboxMcpUrl: toolbox.mcpUrl, identityEndpoint: `${stack.idp.url}/dev/agent-identity/token`, serverLabel: toolbox.serverLabel };
});

afterAll(async () => {
  await toolbox.close();
  await stack.close();
});

function consentItem(item: ConsentRequestItem | McpCallItem): ConsentRequestItem {
  if (item.type !== 'oauth_consent_request') throw new Error(`expected a consent request, got ${JSON.stringify(item)}`);
  return item;
}

function content<T>(item: ConsentRequestItem | McpCallItem): T {
  if (item.type !== 'mcp_call') throw new Error(`expected an mcp_call, got ${JSON.stringify(item)}`);
  if (item.error !== null) throw new Error(`the tool call failed: ${item.error}`);
  return item.structured_content as T;
}

/** A turn of `user`'s conversation: the platform's headers, then the container's tool call through the toolbox. */
function turnOf(user: string, tool: { name: string; arguments?: Record<string, unknown> } = WHOAMI) {
  return runHostedTurn(agent, { turn: turns.start(user), tool });
}

async function consent(item: ConsentRequestItem, account: string) {
  const signIn = await new HttpBrowser().signIn(item.consent_link, { user: account, consent: 'accept' });
  return { signIn, done: toolbox.waitForConsent(item.id) };
}

function eventsSince(from: number) {
  return toolbox.events.slice(from).map((event) => event.kind);
}

/** An SDK client of the toolbox with the agent's token and `headers`; not connected. */
async function toolboxClient(headers: Record<string, string>, token?: string) {
  const accessToken = token ?? String((await (await fetch(agent.identityEndpoint + '?resource=https://ai.azure.com')).json() as { access_token: string }).access_token);
  return new StreamableHTTPClientTransport(new URL(toolbox.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${accessToken}`, ...headers } } });
}

/** One JSON-RPC request through the SDK's transport, without initialize first (the toolbox is stateless; clients may skip it). */
async function bareRequest(headers: Record<string, string>, method: string, params: Record<string, unknown> = {}): Promise<JSONRPCMessage> {
  const transport = await toolboxClient(headers);
  const answer = new Promise<JSONRPCMessage>((resolve, reject) => {
    transport.onmessage = resolve;
    transport.onerror = reject;
  });
  await transport.start();
  await transport.send({ jsonrpc: '2.0', id: 1, method, params });
  try {
    return await answer;
  } finally {
    await transport.close();
  }
}

describe('a hosted agent through a Foundry toolbox', () => {
  it('asks consent, then acts as the user; a second user stays apart; refreshes silently; asks again once the grant is revoked', async () => {
    // 1. The first turn: no grant for this user on the connection, so -32006 with the consent link; the server is not called.
    const oboBefore = stack.idp.counts.obo;
    const first = consentItem(await turnOf('adele-in-teams'));
    expect(first.consent_link.startsWith(new URL(toolbox.mcpUrl).origin)).toBe(true);

    // 2. The user opens the link: the connection's Auth URL, the connection's redirect URL, tokens stored for that user.
    const { signIn, done } = await consent(first, 'adele');
    await done;
    expect(signIn.pages).toEqual(['sign-in', 'consent']);
    expect(signIn.last.status).toBe(200);
    expect(stack.idp.counts.obo).toBe(oboBefore);

    // 3. The prompt is sent again (a new turn): the tool answers as that user.
    expect(content<{ oid: string; upn: string }>(await turnOf('adele-in-teams'))).toMatchObject({ oid: ADELE.oid, upn: ADELE.upn });

    // 4. A second user of the same agent gets a consent link of their own, never the first user's grant.
    const second = consentItem(await turnOf('alex-in-teams'));
    expect(second.consent_link).not.toBe(first.consent_link);
    await (await consent(second, 'alex')).done;
    expect(content<{ oid: string }>(await turnOf('alex-in-teams')).oid).toBe(ALEX.oid);
    expect(content<{ oid: string }>(await turnOf('adele-in-teams')).oid).toBe(ADELE.oid);

    // 5. The access token expires: the toolbox refreshes it at the Refresh URL; the agent sees nothing of it.
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    const before = toolbox.events.length;
    expect(content<{ oid: string }>(await turnOf('adele-in-teams')).oid).toBe(ADELE.oid);
    expect(eventsSince(before)).toEqual(['token_refreshed', 'tool_called']);

    // 6. An admin revokes Adele's grants; once the token in hand expires, the refresh is refused and consent is required again.
    expect((await fetch(`${stack.idp.url}/dev/revoke?user=adele`, { method: 'POST' })).status).toBe(200);
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    const afterRevoke = toolbox.events.length;
    consentItem(await turnOf('adele-in-teams'));
    expect(eventsSince(afterRevoke)).toEqual(['refresh_refused', 'consent_requested']);
    expect(toolbox.hasTokens('adele-in-teams')).toBe(false);
    // Alex's grant is his own, and stands (refreshed too: his token had expired as well).
    expect(content<{ oid: string }>(await turnOf('alex-in-teams')).oid).toBe(ALEX.oid);
  });

  it('answers -32006 with the consent link nested as CONSENT_REQUIRED on initialize, tools/list and tools/call alike', async () => {
    const user = 'not-yet-consented';
    const transport = await toolboxClient({ [CALL_ID_HEADER]: turns.start(user)[CALL_ID_HEADER] });
    const client = new Client({ name: 'test', version: '1.0.0' });
    const refused = await client.connect(transport).then(() => undefined, (error: unknown) => error);
    expect(refused).toBeInstanceOf(McpError);
    expect((refused as McpError).code).toBe(-32006);
    expect((refused as McpError).message).toMatch(/initialize failed for 1 tool source\(s\), succeeded for 0 tool source\(s\) \{"errors":\[\{"name":"onbehalf","type":"mcp","error":\{"code":"CONSENT_REQUIRED","message":"http:\/\/localhost:\d+\/consent\/login\?data=oauthreq_/);
    expect(consentLinkOf(refused)).toMatch(/\/consent\/login\?data=/);
    await client.close();

    for (const [method, params] of [['tools/list', {}], ['tools/call', { name: 'onbehalf___whoami', arguments: {} }]] as const) {
      const answer = await bareRequest({ [CALL_ID_HEADER]: turns.start(user)[CALL_ID_HEADER] }, method, params) as { error?: { code: number; message: string; data?: unknown } };
      expect(answer.error?.code, method).toBe(-32006);
      expect(answer.error?.message, method).toMatch(new RegExp(`^${method} failed for 1 tool source\\(s\\), succeeded for 0 tool source\\(s\\) \\{`));
      const payload = JSON.parse(answer.error?.message.slice(answer.error.message.indexOf('{')) ?? '{}') as unknown;
      expect(payload).toMatchObject({ errors: [{ name: 'onbehalf', type: 'mcp', error: { code: 'CONSENT_REQUIRED', message: expect.stringMatching(/\/consent\/login\?data=/) as unknown } }] });
    }
  });

  it('lists the server\'s tools as onbehalf___<tool>, serves no prompts, and finds no tool without the prefix', async () => {
    const user = 'lists-tools';
    const item = consentItem(await turnOf(user));
    await (await consent(item, 'alex')).done;
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(await toolboxClient({ [CALL_ID_HEADER]: turns.start(user)[CALL_ID_HEADER] }));
    try {
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(1);
      expect(tools.every((tool) => tool.name.startsWith('onbehalf___'))).toBe(true);
      expect(tools.find((tool) => tool.name === 'onbehalf___whoami')?._meta).toMatchObject({ tool_configuration: { type: 'mcp', server_label: 'onbehalf', server_url: stack.mcpUrl } });
      expect(client.getServerCapabilities()?.prompts).toBeUndefined();
      await expect(client.listPrompts()).rejects.toThrow();
      await expect(client.callTool({ name: 'whoami', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    } finally {
      await client.close();
    }
  });

  it('serves users of the project\'s tenant only: a user of the second tenant is refused after the sign-in', async () => {
    const user = 'megan-of-fabrikam';
    const item = consentItem(await turnOf(user));
    const { signIn, done } = await consent(item, 'megan');
    await expect(done).rejects.toThrow(new RegExp(`^cross_tenant_not_supported: ${MEGAN.upn} signed in from tenant ${DEV_OTHER_TENANT_ID}`));
    expect(signIn.last.status).toBe(403);
    consentItem(await turnOf(user));
  });

  it('refuses a caller without a token for https://ai.azure.com, a call id the platform never gave, and a request without api-version', async () => {
    const userToken = await stack.idp.accessToken(ADELE);
    const withUserToken = await fetch(toolbox.mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${userToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    // A user's token for onbehalf is not the agent's token for Foundry.
    expect(withUserToken.status).toBe(401);
    const agentToken = String((await (await fetch(`${agent.identityEndpoint}?resource=https://ai.azure.com`)).json() as { access_token: string }).access_token);
    const forged = await fetch(toolbox.mcpUrl, { method: 'POST', headers: { authorization: `Bearer ${agentToken}`, [CALL_ID_HEADER]: 'made-up', 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(forged.status).toBe(403);
    const noVersion = await fetch(toolbox.mcpUrl.replace('?api-version=v1', ''), { method: 'POST', headers: { authorization: `Bearer ${agentToken}` } });
    expect(noVersion.status).toBe(400);
    // The platform's identity endpoint gives the agent identity tokens for Foundry only.
    expect((await fetch(`${agent.identityEndpoint}?resource=api://${stack.config.clientId}`)).status).toBe(400);
  });
});
