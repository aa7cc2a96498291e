// Foundry's OAuth identity passthrough rehearsed end to end: a stand-in of Agent Service, configured only from foundry:config's values.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { startAgentService, type AgentResponse, type AgentService, type ConsentRequestItem, type McpCallItem } from '../../sandbox/foundry/agentService.js';
import type { FoundryConnection } from '../../sandbox/foundry/connection.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { printedConnection } from '../support/foundryConnection.js';
import { HttpBrowser } from '../support/httpBrowser.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const WHOAMI = { name: 'whoami', arguments: {} };
const LIFETIME_SECONDS = 300;

let stack: TestStack;
let connection: FoundryConnection;
let agent: AgentService;
/** How far the stand-in's clock runs ahead: moving it past a token's expiry is what an hour of waiting would do. */
let ahead = 0;

beforeAll(async () => {
  stack = await startTestStack();
  stack.idp.accessTokenLifetimeSeconds = LIFETIME_SECONDS;
  connection = await printedConnection(stack);
  agent = await startAgentService({ connection, projectTenantId: DEV_TENANT_ID, now: () => Date.now() + ahead });
});

afterAll(async () => {
  await agent.close();
  await stack.close();
});

function consentItem(response: AgentResponse): ConsentRequestItem {
  const [item] = response.output;
  if (item?.type !== 'oauth_consent_request') throw new Error(`expected a consent request, got ${JSON.stringify(response.output)}`);
  return item;
}

function callItem(response: AgentResponse): McpCallItem {
  const [item] = response.output;
  if (item?.type !== 'mcp_call') throw new Error(`expected an mcp_call, got ${JSON.stringify(response.output)}`);
  return item;
}

function content<T>(item: McpCallItem): T {
  if (item.error !== null) throw new Error(`the tool call failed: ${item.error}`);
  return item.structured_content as T;
}

/** The user opens the consent link in their own browser and signs in as `account`. */
async function consent(service: AgentService, item: ConsentRequestItem, account: string, choice: 'accept' | 'cancel' = 'accept') {
  const signIn = await new HttpBrowser().signIn(item.consent_link, { user: account, consent: choice });
  return { signIn, done: service.waitForConsent(item.id) };
}

function eventsSince(service: AgentService, from: number) {
  return service.events.slice(from).map((event) => event.kind);
}

describe('Foundry passthrough, rehearsed with the values foundry:config prints', () => {
  it('prints the dev Foundry client and the dev authority', () => {
    expect(connection).toMatchObject({
      mcpUrl: stack.mcpUrl,
      clientId: stack.idp.registrations.foundry.clientId,
      clientSecret: stack.idp.registrations.foundry.clientSecret,
      authUrl: `${stack.idp.url}/organizations/oauth2/v2.0/authorize`,
      tokenUrl: `${stack.idp.url}/organizations/oauth2/v2.0/token`,
      refreshUrl: `${stack.idp.url}/organizations/oauth2/v2.0/token`,
      scopes: `${stack.config.clientId}/access_as_user offline_access`,
    });
  });

  it('consents once, calls as the user, never asks again, refreshes after expiry, and asks again once the grant is revoked', async () => {
    const user = 'foundry-user-adele';
    // 1. The first tool call: no grant yet, so a consent link and no call to the server.
    const first = await agent.createResponse({ user, tool: WHOAMI });
    const item = consentItem(first);
    expect(item.consent_link.startsWith(agent.url)).toBe(true);
    const tokenRequestsBefore = stack.idp.counts.token;

    // 2. The user signs in and consents; the stand-in gets the code at its redirect URL.
    const { signIn, done } = await consent(agent, item, 'adele');
    await done;
    expect(signIn.pages).toEqual(['sign-in', 'consent']);
    expect(signIn.last.status).toBe(200);
    expect(agent.hasTokens(user)).toBe(true);

    // 3. Continuing with previous_response_id runs the pending call, as the user.
    const continued = await agent.createResponse({ user, previousResponseId: first.id });
    expect(content<{ oid: string; upn: string }>(callItem(continued))).toMatchObject({ oid: ADELE.oid, upn: ADELE.upn });

    // 4. Later calls, in this conversation or a new one, reuse the tokens: no consent, no token request.
    const events = callItem(await agent.createResponse({ user, tool: { name: 'list_events', arguments: { start: new Date(Date.now() - 30 * 86_400_000).toISOString(), end: new Date(Date.now() + 30 * 86_400_000).toISOString() } } }));
    expect(content<{ events: unknown[] }>(events).events.length).toBeGreaterThan(0);
    expect(content<{ oid: string }>(callItem(await agent.createResponse({ user, tool: WHOAMI }))).oid).toBe(ADELE.oid);
    expect(stack.idp.counts.token).toBe(tokenRequestsBefore + 1);

    // 5. The access token expires: the stand-in refreshes it at the Refresh URL, silently.
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    const before = agent.events.length;
    expect(content<{ oid: string }>(callItem(await agent.createResponse({ user, tool: WHOAMI }))).oid).toBe(ADELE.oid);
    expect(eventsSince(agent, before)).toEqual(['token_refreshed', 'tool_called']);
    expect(stack.idp.counts.token).toBe(tokenRequestsBefore + 2);

    // 6. An admin revokes the user's grants; once the access token in hand expires, the refresh is refused and the link is back.
    const revoked = await fetch(`${stack.idp.url}/dev/revoke?user=adele`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    ahead += (LIFETIME_SECONDS + 1) * 1000;
    const afterRevoke = agent.events.length;
    consentItem(await agent.createResponse({ user, tool: WHOAMI }));
    expect(eventsSince(agent, afterRevoke)).toEqual(['refresh_refused', 'consent_requested']);
    expect(agent.events.at(-2)).toMatchObject({ kind: 'refresh_refused', error: expect.stringMatching(/^invalid_grant: AADSTS50173/) });
    expect(agent.hasTokens(user)).toBe(false);
  });

  it('keeps two users apart: each sees only their own mailbox, and neither can continue the other\'s response', async () => {
    const signedIn = new Map<string, AgentResponse>();
    for (const [user, account] of [['foundry-user-1', 'alex'], ['foundry-user-2', 'adele']] as const) {
      const response = await agent.createResponse({ user, tool: { name: 'list_messages', arguments: { top: 10 } } });
      const { done } = await consent(agent, consentItem(response), account);
      await done;
      signedIn.set(user, response);
    }
    const mail = async (user: string) => {
      const response = await agent.createResponse({ user, previousResponseId: signedIn.get(user)?.id ?? '' });
      return content<{ messages: { id: string }[] }>(callItem(response)).messages.map((message) => message.id);
    };
    const alexMail = await mail('foundry-user-1');
    const meganMail = await mail('foundry-user-2');
    expect(alexMail.length).toBeGreaterThan(0);
    expect(meganMail.length).toBeGreaterThan(0);
    expect(alexMail.filter((messageId) => meganMail.includes(messageId))).toEqual([]);
    expect(content<{ oid: string }>(callItem(await agent.createResponse({ user: 'foundry-user-1', tool: WHOAMI }))).oid).toBe(ALEX.oid);
    expect(content<{ oid: string }>(callItem(await agent.createResponse({ user: 'foundry-user-2', tool: WHOAMI }))).oid).toBe(ADELE.oid);
    await expect(agent.createResponse({ user: 'foundry-user-2', previousResponseId: signedIn.get('foundry-user-1')?.id ?? '' })).rejects.toThrow(/previous_response_not_found/);
  });

  it('serves users of the project\'s tenant only: a user of the second tenant is refused after the sign-in, and nothing is stored', async () => {
    const user = 'foundry-user-fabrikam';
    const oboBefore = stack.idp.counts.obo;
    const first = await agent.createResponse({ user, tool: WHOAMI });
    const { signIn, done } = await consent(agent, consentItem(first), 'megan');
    // Our choice of refusal (Microsoft documents the rule, not the words): the connection page says why, the agent learns it.
    await expect(done).rejects.toThrow(new RegExp(`^cross_tenant_not_supported: ${MEGAN.upn} signed in from tenant ${DEV_OTHER_TENANT_ID}, but this Foundry project serves users of its own tenant ${DEV_TENANT_ID} only`));
    expect(signIn.last.status).toBe(403);
    expect(agent.hasTokens(user)).toBe(false);
    // Continuing asks for consent again; the MCP server never saw a token of hers.
    consentItem(await agent.createResponse({ user, previousResponseId: first.id }));
    expect(stack.idp.counts.obo).toBe(oboBefore);
  });

  it('brings the consent link back when the user cancels, and the client gets access_denied', async () => {
    const user = 'foundry-user-cancels';
    // Whatever Alex consented to before, the consent page shows again.
    stack.idp.revoke(ALEX);
    const item = consentItem(await agent.createResponse({ user, tool: WHOAMI }));
    const { signIn, done } = await consent(agent, item, 'alex', 'cancel');
    expect(signIn.pages).toEqual(['sign-in', 'consent']);
    await expect(done).rejects.toThrow(/^access_denied: AADSTS65004/);
    expect(agent.hasTokens(user)).toBe(false);
    consentItem(await agent.createResponse({ user, tool: WHOAMI }));
  });

  it('with refresh when refused, shows a real expiry: the server itself refuses the aged token (token_expired), then the refreshed one works', async () => {
    const watcher = await startAgentService({ connection, projectTenantId: DEV_TENANT_ID, refresh: 'when-refused' });
    const lifetime = stack.idp.accessTokenLifetimeSeconds;
    try {
      const user = 'foundry-user-waits';
      // Tokens minted already past their exp and the server's 300 s of skew stand for the wait of a real expiry.
      stack.idp.accessTokenLifetimeSeconds = -301;
      const first = await watcher.createResponse({ user, tool: WHOAMI });
      await (await consent(watcher, consentItem(first), 'alex')).done;
      stack.idp.accessTokenLifetimeSeconds = lifetime;
      const before = watcher.events.length;
      expect(content<{ oid: string }>(callItem(await watcher.createResponse({ user, previousResponseId: first.id }))).oid).toBe(ALEX.oid);
      expect(eventsSince(watcher, before)).toEqual(['token_refused', 'token_refreshed', 'tool_called']);
      expect(watcher.events[before]).toMatchObject({ kind: 'token_refused', error: 'HTTP 401 token_expired' });
    } finally {
      stack.idp.accessTokenLifetimeSeconds = lifetime;
      await watcher.close();
    }
  });

  it('refuses a forged or replayed answer at the redirect URL', async () => {
    const forged = await new HttpBrowser().visit(`${agent.redirectUri}?code=stolen&state=made-up`);
    expect(forged.status).toBe(400);
  });
});

describe('Foundry passthrough with a wrong connection or a tenant not allowed', () => {
  let restricted: TestStack;

  beforeAll(async () => {
    restricted = await startTestStack({ env: { ENTRA_ALLOWED_TENANTS: DEV_TENANT_ID } });
  });

  afterAll(async () => {
    await restricted.close();
  });

  it('gives a user of a tenant not allowed a clear refusal, not a consent loop', async () => {
    // A project in the second tenant, connected to a server that allows only the first.
    const service = await startAgentService({ connection: await printedConnection(restricted), projectTenantId: DEV_OTHER_TENANT_ID });
    try {
      const user = 'foundry-user-megan';
      const first = await service.createResponse({ user, tool: WHOAMI });
      const { done } = await consent(service, consentItem(first), 'megan');
      await done;
      const refused = callItem(await service.createResponse({ user, previousResponseId: first.id }));
      expect(refused.output).toBeNull();
      expect(refused.error).toMatch(/^HTTP 401 tenant_not_allowed:/);
    } finally {
      await service.close();
    }
  });

  it('fails the sign-in with invalid_client when the connection holds a wrong secret', async () => {
    const good = await printedConnection(restricted);
    const service = await startAgentService({ connection: { ...good, clientSecret: 'dev~not-the-secret-of-this-client' }, projectTenantId: DEV_TENANT_ID, clientAuth: 'client_secret_basic' });
    try {
      const user = 'foundry-user-typo';
      const item = consentItem(await service.createResponse({ user, tool: WHOAMI }));
      const { signIn, done } = await consent(service, item, 'adele');
      await expect(done).rejects.toThrow(/^invalid_client: AADSTS7000215/);
      expect(signIn.last.status).toBe(502);
      expect(service.hasTokens(user)).toBe(false);
    } finally {
      await service.close();
    }
  });
});
