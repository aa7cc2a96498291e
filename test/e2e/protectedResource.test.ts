// RFC 9728 protected resource metadata and /healthz, served without auth, for local, public-URL and any-tenant setups.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { randomUUID } from 'node:crypto';
import { rawRequest, type RpcErrorBody } from '../http/rawRequest.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { ADELE, MEGAN } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';

const METADATA_PATHS = ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'] as const;
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
    // Dev mode allows two tenants: clients sign in at `organizations`, and neither tenant is named.
    expect(body.authorization_servers).toEqual([`${stack.idp.url}/organizations/v2.0`]);
    expect(body.scopes_supported).toEqual([SCOPE]);
    expect(body.bearer_methods_supported).toEqual(['header']);
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

  it('lists the organizations authority', async () => {
    const { status, body } = await getJson<Metadata>(`${stack.host.url}${METADATA_PATHS[1]}`);
    expect(status).toBe(200);
    expect(body.authorization_servers).toEqual([`${stack.idp.url}/organizations/v2.0`]);
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

  it.each(METADATA_PATHS)('GET %s names only the organizations authority and no allowed tenant', async (path) => {
    const response = await fetch(`${stack.host.url}${path}`);
    const text = await response.text();
    expect((JSON.parse(text) as Metadata).authorization_servers).toEqual([`${stack.idp.url}/organizations/v2.0`]);
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
