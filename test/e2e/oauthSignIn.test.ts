// The MCP SDK clients' own OAuth flow against the dev stack, in the test project's era: discovery from the 401, the
// sign-in pages, the token, then tools.
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport, UnauthorizedError as ModernUnauthorized } from '@modelcontextprotocol/client';
import { UnauthorizedError as LegacyUnauthorized } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_OTHER_TENANT_ID } from '../../shared/config/devDefaults.js';
import { DEV_PUBLIC_CLIENT_ID } from '../../sandbox/identity/registrations.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { HttpBrowser } from '../support/httpBrowser.js';
import { MODERN_VERSION, testEra, type McpClient } from '../support/mcpClient.js';
import { PreRegisteredClient } from '../support/oauthClientProvider.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const REDIRECT = 'http://127.0.0.1:53682/callback';
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack.close();
});

const INFO = { name: 'oauth-test', version: '1.0.0' };

/** One connection attempt with the SDK of the test project's era, and how that SDK is handed the sign-in's answer. */
interface Attempt {
  readonly connected: Promise<McpClient>;
  readonly unauthorized: abstract new (...args: never[]) => Error;
  finishAuth(redirect: URL): Promise<void>;
}

function attempt(provider: PreRegisteredClient, url: URL): Attempt {
  if (testEra() === 'modern') {
    const client = new ModernClient(INFO, { versionNegotiation: { mode: { pin: MODERN_VERSION } } });
    const transport = new ModernTransport(url, { authProvider: provider });
    const connected = client.connect(transport).then((): McpClient => ({
      era: 'modern',
      callTool: async (params) => await client.callTool(params),
      listTools: () => client.listTools(),
      getServerVersion: () => client.getServerVersion(),
      close: () => client.close(),
    }));
    return { connected, unauthorized: ModernUnauthorized, finishAuth: (redirect) => transport.finishAuth(redirect.searchParams) };
  }
  const client = new LegacyClient(INFO);
  const transport = new LegacyTransport(url, { authProvider: provider });
  const connected = client.connect(transport).then((): McpClient => ({
    era: 'legacy',
    callTool: async (params) => await client.callTool(params) as Awaited<ReturnType<McpClient['callTool']>>,
    listTools: async () => await client.listTools() as Awaited<ReturnType<McpClient['listTools']>>,
    getServerVersion: () => client.getServerVersion(),
    close: () => client.close(),
  }));
  return { connected, unauthorized: LegacyUnauthorized, finishAuth: (redirect) => transport.finishAuth(redirect.searchParams.get('code') ?? '') };
}

/** Connects with the SDK's auth provider: the first attempt ends at the sign-in URL, the browser signs in, the second attempt connects. */
async function signInAndConnect(provider: PreRegisteredClient, user: string, mcpUrl = stack.mcpUrl): Promise<{ client: McpClient; pages: readonly string[] }> {
  const first = attempt(provider, new URL(mcpUrl));
  await expect(first.connected).rejects.toBeInstanceOf(first.unauthorized);
  const authorizationUrl = provider.authorizationUrl;
  if (authorizationUrl === undefined) throw new Error('the SDK did not start a sign-in');
  const signIn = await new HttpBrowser().signIn(authorizationUrl, { user, consent: 'accept', stopAt: (url) => url.pathname === '/callback' });
  const redirect = signIn.redirect;
  if (redirect === undefined) throw new Error(`the sign-in did not come back: ${signIn.last.html.slice(0, 300)}`);
  if (redirect.searchParams.has('error')) throw new Error(`${redirect.searchParams.get('error')}: ${redirect.searchParams.get('error_description')}`);
  expect(redirect.searchParams.get('state')).toBe(provider.expectedState);
  await first.finishAuth(redirect);
  const client = await attempt(provider, new URL(mcpUrl)).connected;
  return { client, pages: signIn.pages };
}

function whoamiOid(result: Awaited<ReturnType<McpClient['callTool']>>): unknown {
  return (result.structuredContent as { oid?: string } | undefined)?.oid;
}

describe('MCP SDK client, OAuth against the dev identity provider', () => {
  it('discovers the authority from the 401, signs the user in through the pages and calls tools as that user', async () => {
    // What npm start registers: the local MCP endpoint is an App ID URI of the dev server app.
    stack.idp.registrations.server.identifierUris.push(stack.mcpUrl);
    const provider = new PreRegisteredClient({ clientId: DEV_PUBLIC_CLIENT_ID, redirectUrl: REDIRECT });
    const { client, pages } = await signInAndConnect(provider, 'adele');
    try {
      expect(pages).toEqual(['sign-in', 'consent']);
      const authorizationUrl = provider.authorizationUrl ?? new URL('about:blank');
      expect(authorizationUrl.origin).toBe(stack.idp.url);
      expect(authorizationUrl.pathname).toMatch(/\/oauth2\/v2\.0\/authorize$/);
      // The 2026-07-28 client asks for a refresh token too (offline_access, which Entra's metadata lists).
      expect(authorizationUrl.searchParams.get('scope')?.split(' ').filter((scope) => scope !== 'offline_access')).toEqual([`api://${DEV_CLIENT_ID}/access_as_user`]);
      expect(authorizationUrl.searchParams.get('resource')).toBe(stack.mcpUrl);
      expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
      expect(decodeJwt(provider.tokens()?.access_token ?? '')).toMatchObject({ aud: DEV_CLIENT_ID, azp: DEV_PUBLIC_CLIENT_ID, oid: ADELE.oid });

      const tools = await client.listTools();
      expect(tools.tools.map((tool) => tool.name)).toContain('whoami');
      expect(whoamiOid(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(ADELE.oid);
    } finally {
      await client.close();
    }
  });

  it('signs a user of the other tenant in at her tenant\'s own endpoint, whose metadata sends the client to her tenant', async () => {
    const tenantUrl = `${stack.host.url}/tenants/${DEV_OTHER_TENANT_ID}/mcp`;
    // As npm start registers it: each sample tenant's endpoint is an App ID URI of the dev server app too.
    stack.idp.registrations.server.identifierUris.push(tenantUrl);
    const provider = new PreRegisteredClient({ clientId: DEV_PUBLIC_CLIENT_ID, redirectUrl: REDIRECT });
    const { client } = await signInAndConnect(provider, 'megan', tenantUrl);
    try {
      expect(provider.authorizationUrl?.pathname).toBe(`/${DEV_OTHER_TENANT_ID}/oauth2/v2.0/authorize`);
      expect(provider.authorizationUrl?.searchParams.get('resource')).toBe(tenantUrl);
      expect(whoamiOid(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(MEGAN.oid);
    } finally {
      await client.close();
    }
  });

  it('meets AADSTS9010010 when the MCP URL is not an App ID URI, as with Entra, and signs in once the client leaves resource out', async () => {
    const identifierUris = stack.idp.registrations.server.identifierUris;
    identifierUris.splice(0, identifierUris.length, `api://${DEV_CLIENT_ID}`);
    const sendsResource = new PreRegisteredClient({ clientId: DEV_PUBLIC_CLIENT_ID, redirectUrl: REDIRECT });
    await expect(signInAndConnect(sendsResource, 'alex')).rejects.toThrow(/^invalid_target: AADSTS9010010/);

    const omitsResource = new PreRegisteredClient({ clientId: DEV_PUBLIC_CLIENT_ID, redirectUrl: REDIRECT, omitResource: true });
    const { client } = await signInAndConnect(omitsResource, 'alex');
    try {
      expect(omitsResource.authorizationUrl?.searchParams.has('resource')).toBe(false);
      expect(whoamiOid(await client.callTool({ name: 'whoami', arguments: {} }))).toBe(ALEX.oid);
    } finally {
      await client.close();
    }
  });
});
