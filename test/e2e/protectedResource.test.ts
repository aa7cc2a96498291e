// RFC 9728 protected resource metadata and /healthz, served without auth, for local, public-URL and multi-tenant setups; each authority passes a strict RFC 8414 client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { randomUUID } from 'node:crypto';
import { rawRequest, type RpcErrorBody } from '../http/rawRequest.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { ADELE, MEGAN } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const METADATA_PATHS = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'] as const;
const tenantMetadataPath = (tenant: string) => `/.well-known/oauth-protected-resource/tenants/${tenant}/mcp`;
const SCOPE = `api://${DEV_CLIENT_ID}/access_as_user`;

interface Metadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
}

async function getJson<T>(url: string): Promise<{ status: number; headers: Headers; body: T }> {
  const response = await fetch(url);
  return { status: response.status, headers: response.headers, body: await response.json() as T };
}

/**
 * What a client that holds RFC 8414 §3.3 to the letter (MCP Inspector 2.x, the MCP SDKs' v2 clients) does with
 * an authorization server from the metadata: the well-known URLs in the order it tries them, the first that
 * answers, and whether its `issuer` is that authorization server. Returns the issuer, or throws as they do.
 */
async function strictDiscovery(authorizationServer: string): Promise<string> {
  const url = new URL(authorizationServer);
  const candidates = [`/.well-known/oauth-authorization-server${url.pathname}`, `/.well-known/openid-configuration${url.pathname}`, `${url.pathname}/.well-known/openid-configuration`];
  for (const path of candidates) {
    const response = await fetch(new URL(path, url.origin));
    if (!response.ok) continue;
    const { issuer } = await response.json() as { issuer: string };
    if (issuer !== authorizationServer) throw new Error(`Issuer mismatch: expected ${authorizationServer}, received ${issuer}`);
    return issuer;
  }
  throw new Error(`no metadata for ${authorizationServer}`);
}

describe('local (no MCP_PUBLIC_URL), dev tenants', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each(METADATA_PATHS)('GET %s without auth describes the resource', async (path) => {
    const { status, headers, body } = await getJson<Metadata>(`${stack.host.url}${path}`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^application\/json/);
    expect(body.resource).toBe(`http://localhost:${stack.host.port}/mcp`);
    // Dev mode allows two tenants; /mcp names the app's own (ENTRA_TENANT_ID), which strict clients accept.
    expect(body.authorization_servers).toEqual([stack.idp.issuer(DEV_TENANT_ID)]);
    await expect(strictDiscovery(body.authorization_servers[0] ?? '')).resolves.toBe(stack.idp.issuer(DEV_TENANT_ID));
    expect(body.scopes_supported).toEqual([SCOPE]);
    expect(body.bearer_methods_supported).toEqual(['header']);
  });

  it.each([DEV_TENANT_ID, DEV_OTHER_TENANT_ID, randomUUID()])('GET %s\'s own metadata: its resource path and its authority, which strict clients accept', async (tenant) => {
    const { status, body } = await getJson<Metadata>(`${stack.host.url}${tenantMetadataPath(tenant)}`);
    expect(status).toBe(200);
    expect(body.resource).toBe(`http://localhost:${stack.host.port}/tenants/${tenant}/mcp`);
    expect(body.authorization_servers).toEqual([stack.idp.issuer(tenant)]);
    expect(body.scopes_supported).toEqual([SCOPE]);
    // Answered for any tenant id, allowed or not: what the metadata says reveals no customer.
    if (tenant === DEV_TENANT_ID || tenant === DEV_OTHER_TENANT_ID) await expect(strictDiscovery(body.authorization_servers[0] ?? '')).resolves.toBe(stack.idp.issuer(tenant));
  });

  it.each([`/tenants/${DEV_TENANT_ID.toUpperCase()}/mcp`, '/tenants/contoso.onmicrosoft.com/mcp', '/tenants/organizations/mcp', '/tenants//mcp'])('404 for %s: a tenant is named by its id, in lower case', async (path) => {
    for (const url of [`${stack.host.url}${path}`, `${stack.host.url}/.well-known/oauth-protected-resource${path}`]) {
      const response = await fetch(url, { method: url.includes('well-known') ? 'GET' : 'POST', headers: mcpHeaders(undefined), ...(!url.includes('well-known') && { body: JSON.stringify(INITIALIZE) }) });
      expect(response.status).toBe(404);
    }
  });

  it('a tenant\'s endpoint challenges with its own metadata, and admits that tenant\'s users only', async () => {
    const tenantUrl = `${stack.host.url}/tenants/${DEV_OTHER_TENANT_ID}/mcp`;
    const anonymous = await fetch(tenantUrl, { method: 'POST', headers: mcpHeaders(undefined), body: JSON.stringify(INITIALIZE) });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain(`resource_metadata="http://localhost:${stack.host.port}${tenantMetadataPath(DEV_OTHER_TENANT_ID)}"`);

    const adele = await fetch(tenantUrl, { method: 'POST', headers: mcpHeaders(await stack.idp.accessToken(ADELE)), body: JSON.stringify(INITIALIZE) });
    expect(adele.status).toBe(401);
    expect(adele.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await adele.json() as RpcErrorBody).error.data?.code).toBe('tenant_mismatch');

    const megan = await fetch(tenantUrl, { method: 'POST', headers: mcpHeaders(await stack.idp.accessToken(MEGAN)), body: JSON.stringify(INITIALIZE) });
    expect(megan.status).toBe(200);
    // /mcp serves every allowed tenant.
    const meganAtMcp = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(await stack.idp.accessToken(MEGAN)), body: JSON.stringify(INITIALIZE) });
    expect(meganAtMcp.status).toBe(200);
  });

  it('the resource_metadata of a 401 challenge is this document', async () => {
    const refused = await fetch(`${stack.host.url}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' });
    expect(refused.status).toBe(401);
    const url = /resource_metadata="([^"]+)"/.exec(refused.headers.get('www-authenticate') ?? '')?.[1];
    expect(url).toBe(`http://localhost:${stack.host.port}/.well-known/oauth-protected-resource/mcp`);
    const { status, body } = await getJson<Metadata>(url ?? '');
    expect(status).toBe(200);
    expect(body.resource).toBe(`http://localhost:${stack.host.port}/mcp`);
  });

  it('refuses a Host that is not loopback (DNS-rebinding guard)', async () => {
    const answer = await rawRequest(stack.host.port, { path: METADATA_PATHS[1], headers: { host: 'evil.example' } });
    expect(answer.status).toBe(403);
    expect((JSON.parse(answer.text) as RpcErrorBody).error.data?.code).toBe('host_not_allowed');
  });

  it('GET /healthz answers 200 {status: ok} without auth', async () => {
    const { status, body } = await getJson<{ status: string; version?: string }>(`${stack.host.url}/healthz`);
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
  });
});

describe('with MCP_PUBLIC_URL', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { MCP_PUBLIC_URL: 'https://mcp.example.com' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each(METADATA_PATHS)('GET %s names the public URL as the resource', async (path) => {
    const answer = await rawRequest(stack.host.port, { path, headers: { host: 'mcp.example.com' } });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as Metadata;
    expect(body.resource).toBe('https://mcp.example.com/mcp');
    expect(body.scopes_supported).toEqual([SCOPE]);
    expect(body.bearer_methods_supported).toEqual(['header']);
  });
});

describe('with ENTRA_ALLOWED_TENANTS=*', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ENTRA_ALLOWED_TENANTS: '*' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists the app\'s own tenant for /mcp, and each tenant\'s for its own path', async () => {
    const { status, body } = await getJson<Metadata>(`${stack.host.url}${METADATA_PATHS[1]}`);
    expect(status).toBe(200);
    expect(body.authorization_servers).toEqual([stack.idp.issuer(DEV_TENANT_ID)]);
    const stranger = randomUUID();
    expect((await getJson<Metadata>(`${stack.host.url}${tenantMetadataPath(stranger)}`)).body.authorization_servers).toEqual([stack.idp.issuer(stranger)]);
  });
});

describe('with only the home tenant allowed', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ENTRA_ALLOWED_TENANTS: DEV_TENANT_ID } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('lists the home tenant\'s authority, and only it', async () => {
    const { body } = await getJson<Metadata>(`${stack.host.url}${METADATA_PATHS[1]}`);
    expect(body.authorization_servers).toEqual([stack.idp.issuer(DEV_TENANT_ID)]);
  });
});

describe('with ENTRA_TENANT_ID=organizations', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ENTRA_TENANT_ID: 'organizations', ENTRA_ALLOWED_TENANTS: `${DEV_TENANT_ID},${DEV_OTHER_TENANT_ID}` } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('names organizations for /mcp, which strict clients refuse, and each tenant\'s own authority for its path, which they accept', async () => {
    const { body } = await getJson<Metadata>(`${stack.host.url}${METADATA_PATHS[1]}`);
    expect(body.authorization_servers).toEqual([`${stack.idp.url}/organizations/v2.0`]);
    // Entra's multi-tenant metadata names the `{tenantid}` placeholder as its issuer.
    await expect(strictDiscovery(body.authorization_servers[0] ?? '')).rejects.toThrow(/Issuer mismatch/);
    for (const tenant of [DEV_TENANT_ID, DEV_OTHER_TENANT_ID]) {
      const own = await getJson<Metadata>(`${stack.host.url}${tenantMetadataPath(tenant)}`);
      await expect(strictDiscovery(own.body.authorization_servers[0] ?? '')).resolves.toBe(stack.idp.issuer(tenant));
    }
  });
});

describe('with several allowed tenants (customers)', () => {
  // The home tenant plus two customers whose names this deployment must never publish.
  const CUSTOMERS = [DEV_OTHER_TENANT_ID, randomUUID()];
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ env: { ENTRA_ALLOWED_TENANTS: [DEV_TENANT_ID, ...CUSTOMERS].join(',') } });
  });
  afterAll(async () => {
    await stack.close();
  });

  const expectNoCustomer = (text: string): void => {
    for (const tenant of CUSTOMERS) expect(text.toLowerCase()).not.toContain(tenant);
  };

  it.each(METADATA_PATHS)('GET %s names only the app\'s own tenant and no customer', async (path) => {
    const response = await fetch(`${stack.host.url}${path}`);
    const text = await response.text();
    expect((JSON.parse(text) as Metadata).authorization_servers).toEqual([stack.idp.issuer(DEV_TENANT_ID)]);
    expectNoCustomer(text);
    response.headers.forEach((value) => expectNoCustomer(value));
  });

  it('no refusal names an allowed tenant, in its challenge or its body', async () => {
    const stranger = randomUUID();
    const tokens: (string | undefined)[] = [
      undefined,
      'not-a-jwt',
      await stack.idp.accessToken(ADELE, { tid: stranger, iss: stack.idp.issuer(stranger) }),
      await stack.idp.accessToken(ADELE, { exp: Math.floor(Date.now() / 1000) - 3600 }),
      await stack.idp.accessToken(ADELE, { aud: 'api://someone-else' }),
      await stack.idp.accessToken(ADELE, { scp: 'other' }),
      await stack.idp.accessToken(MEGAN, { exp: Math.floor(Date.now() / 1000) - 3600 }),
    ];
    for (const token of tokens) {
      const response = await fetch(stack.mcpUrl, { method: 'POST', headers: mcpHeaders(token), body: JSON.stringify(INITIALIZE) });
      expect([401, 403]).toContain(response.status);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      expectNoCustomer(await response.text());
      response.headers.forEach((value) => expectNoCustomer(value));
    }
  });
});
