// Secretless OBO as deployed: the function app's managed identity token is the client assertion a federated credential
// trusts. msal-node reaches a local stand-in of App Service's identity endpoint through IDENTITY_ENDPOINT/IDENTITY_HEADER.
import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { VerifiedCaller } from '../../shared/auth/identity.js';
import { AuthError } from '../../shared/auth/authError.js';
import { createOnBehalfOf } from '../../shared/auth/onBehalfOf.js';
import { DEV_CLIENT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { parseConfig } from '../../shared/config/parseConfig.js';
import { createApp } from '../../shared/mcp/createApp.js';
import { GRAPH_ROUTES, seedUserData } from '../../sandbox/graph/graphRoutes.js';
import { startLocalGraph, type LocalGraph } from '../../sandbox/graph/localGraph.js';
import type { RunningServer } from '../../sandbox/httpsServer.js';
import { newSigningKey, startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { checkClientAssertion } from '../../sandbox/clientAssertion.js';
import { startLocalHost } from '../../sandbox/localHost.js';
import { ADELE, ALEX, type SampleUser } from '../../sandbox/sampleUsers.js';
import { startManagedIdentityEndpoint, type ManagedIdentityEndpoint } from '../support/managedIdentityEndpoint.js';
import { connectClient } from '../support/mcpClient.js';
import { testTls } from '../support/testStack.js';

const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
// The user-assigned identity infra/ gives the function app: client id (the app setting) and principal id (the subject).
const IDENTITY_CLIENT_ID = '5a1c2b3d-0000-4000-8000-00000000a1a1';
const IDENTITY_PRINCIPAL_ID = '9e8d7c6b-0000-4000-8000-00000000b2b2';

let idp: IdentityProvider;
let identity: ManagedIdentityEndpoint;
const savedEnv = { endpoint: process.env['IDENTITY_ENDPOINT'], header: process.env['IDENTITY_HEADER'] };

beforeAll(async () => {
  // As infra/app/entra.bicep: issuer the home tenant, subject the identity's principal id, the token exchange audience.
  idp = await startIdentityProvider({
    tls: testTls(),
    clientId: DEV_CLIENT_ID,
    federatedCredential: { tenantId: DEV_TENANT_ID, subject: IDENTITY_PRINCIPAL_ID, audience: TOKEN_EXCHANGE_AUDIENCE },
  });
  identity = await startManagedIdentityEndpoint({ idp, tenantId: DEV_TENANT_ID, clientId: IDENTITY_CLIENT_ID, principalId: IDENTITY_PRINCIPAL_ID });
  // What the Functions platform sets in every app with a managed identity; msal-node picks its App Service source.
  process.env['IDENTITY_ENDPOINT'] = identity.url;
  process.env['IDENTITY_HEADER'] = identity.secretHeader;
});

afterAll(async () => {
  for (const [name, value] of [['IDENTITY_ENDPOINT', savedEnv.endpoint], ['IDENTITY_HEADER', savedEnv.header]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await identity.close();
  await idp.close();
});

async function callerOf(user: SampleUser): Promise<VerifiedCaller> {
  return {
    identity: { tid: user.tid, oid: user.oid, upn: user.upn, name: user.name, scopes: ['access_as_user'], appId: undefined, roles: [] },
    assertion: await idp.accessToken(user),
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    tokenHash: `hash-${randomUUID()}`,
  };
}

describe('OBO with the managed identity as a federated credential', () => {
  it('proves the server with a fresh identity token for the token exchange audience, and gets the user\'s Graph token', async () => {
    const acquire = createOnBehalfOf({ authorityHost: idp.url, tenantId: DEV_TENANT_ID, clientId: DEV_CLIENT_ID, credential: { kind: 'managedIdentity', clientId: IDENTITY_CLIENT_ID } });
    const before = identity.requests.length;
    const graphToken = await acquire(await callerOf(ADELE), ['Calendars.Read']);
    expect(decodeJwt(graphToken)).toMatchObject({ oid: ADELE.oid, tid: ADELE.tid, scp: 'Calendars.Read', aud: 'https://graph.microsoft.com' });
    expect(identity.requests.slice(before)).toEqual([{ resource: TOKEN_EXCHANGE_AUDIENCE, clientId: IDENTITY_CLIENT_ID, apiVersion: '2019-08-01' }]);

    // A new exchange asks for a new assertion, so none can be older than Entra accepts (AADSTS700024).
    await acquire(await callerOf(ALEX), ['Mail.Read']);
    expect(identity.requests.length - before).toBe(2);
    expect(idp.oboRequests.at(-1)).toMatchObject({ oid: ALEX.oid, scopes: ['Mail.Read'] });
  });

  it('fails with entra_unavailable, never a 401, when the federated credential does not trust that identity', async () => {
    const other = await startIdentityProvider({
      tls: testTls(),
      clientId: DEV_CLIENT_ID,
      federatedCredential: { tenantId: DEV_TENANT_ID, subject: randomUUID(), audience: TOKEN_EXCHANGE_AUDIENCE },
    });
    try {
      // The identity endpoint signs with `idp`'s keys and issuer, which `other` does not trust either.
      const acquire = createOnBehalfOf({ authorityHost: other.url, tenantId: DEV_TENANT_ID, clientId: DEV_CLIENT_ID, credential: { kind: 'managedIdentity', clientId: IDENTITY_CLIENT_ID } });
      const caller = await callerOf(ADELE);
      const error = await acquire(caller, ['User.Read']).then(() => undefined, (thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).code).toBe('entra_unavailable');
      expect(other.oboRequests).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('the local identity provider\'s federated credential check', () => {
  const assertion = (claims: Record<string, unknown>, key?: Parameters<IdentityProvider['sign']>[1]) => {
    const now = Math.floor(Date.now() / 1000);
    return idp.sign({ iss: idp.issuer(DEV_TENANT_ID), sub: IDENTITY_PRINCIPAL_ID, aud: TOKEN_EXCHANGE_AUDIENCE, iat: now, nbf: now, exp: now + 600, ...claims }, key);
  };
  const check = async (token: string) => (await checkClientAssertion(token, { issuer: idp.issuer(DEV_TENANT_ID), subject: IDENTITY_PRINCIPAL_ID, audience: TOKEN_EXCHANGE_AUDIENCE }, idp.jwks().keys))?.code;

  it('refuses what Entra refuses, with Entra\'s codes', async () => {
    expect(await check(await assertion({}))).toBeUndefined();
    expect(await check(await assertion({ iss: idp.issuer(randomUUID()) }))).toBe(700211);
    expect(await check(await assertion({ sub: randomUUID() }))).toBe(700213);
    expect(await check(await assertion({ aud: 'api://someone-else' }))).toBe(700212);
    expect(await check(await assertion({ exp: Math.floor(Date.now() / 1000) - 600 }))).toBe(700024);
    expect(await check('not a token')).toBe(50027);
    // Right claims, signed by a key Entra never published.
    expect(await check(await assertion({}, { key: (await newSigningKey()).privateKey }))).toBe(50027);
  });
});

describe('a server configured as infra/ configures it (ENTRA_MANAGED_IDENTITY_CLIENT_ID, no secret)', () => {
  let graph: LocalGraph;
  let host: RunningServer;
  beforeAll(async () => {
    graph = await startLocalGraph({ tls: testTls(), idp, routes: GRAPH_ROUTES, seed: seedUserData });
    const config = parseConfig({
      MCP_DEV_MODE: '1',
      ENTRA_AUTHORITY_HOST: idp.url,
      ENTRA_MANAGED_IDENTITY_CLIENT_ID: IDENTITY_CLIENT_ID,
      GRAPH_BASE_URL: graph.url,
      TABLES_CONNECTION_STRING: inject('tablesConnectionString'),
      TABLES_PREFIX: `t${randomUUID().replaceAll('-', '').slice(0, 12)}`,
      RATE_LIMIT_TENANT_PER_MINUTE: '0',
      RATE_LIMIT_USER_PER_MINUTE: '0',
    });
    expect(config.credential).toEqual({ kind: 'managedIdentity', clientId: IDENTITY_CLIENT_ID });
    host = await startLocalHost(createApp(config));
  });
  afterAll(async () => {
    await host.close();
    await graph.close();
  });

  it('answers a Graph tool as the signed-in user over MCP', async () => {
    const before = identity.requests.length;
    const client = await connectClient(`${host.url}/mcp`, await idp.accessToken(ADELE));
    const result = await client.callTool({ name: 'whoami', arguments: {} });
    await client.close();
    expect(result.isError).not.toBe(true);
    expect(result.structuredContent).toMatchObject({ oid: ADELE.oid, tid: ADELE.tid, profile: { displayName: ADELE.name } });
    expect(identity.requests.length).toBeGreaterThan(before);
  });
});
