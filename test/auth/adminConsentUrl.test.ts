// The admin consent link of `consent_required`: Entra's /adminconsent with a reply address the server app registers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminConsentUrl, CONSENT_REDIRECT_PATH } from '../../shared/auth/adminConsentUrl.js';
import { AuthError } from '../../shared/auth/authError.js';
import { createOnBehalfOf } from '../../shared/auth/onBehalfOf.js';
import { DEV_CLIENT_ID, DEV_CLIENT_SECRET, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { ROUTES } from '../../shared/mcp/routes.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { ALEX } from '../../sandbox/sampleUsers.js';
import { callToolMessage, postMcp, toolErrorCode } from '../support/rawMcp.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';

const LOGIN = 'https://login.microsoftonline.com';
const TENANT = '72f988bf-0000-4000-8000-00000000c0de';
const SERVER = '6f2d1e4a-0000-4000-8000-000000000001';

describe('adminConsentUrl', () => {
  it('asks the caller\'s tenant to consent for the server app and names the registered reply address', () => {
    const url = new URL(adminConsentUrl({ authorityHost: LOGIN, tenantId: TENANT, clientId: SERVER, publicUrl: new URL('https://func-api-abc.azurewebsites.net') }));
    expect(url.origin).toBe(LOGIN);
    expect(url.pathname).toBe(`/${TENANT}/adminconsent`);
    expect([...url.searchParams.keys()]).toEqual(['client_id', 'redirect_uri']);
    expect(url.searchParams.get('client_id')).toBe(SERVER);
    expect(url.searchParams.get('redirect_uri')).toBe('https://func-api-abc.azurewebsites.net/healthz');
  });

  it('keeps the path of a public URL behind a gateway, without doubling its slash', () => {
    const url = new URL(adminConsentUrl({ authorityHost: `${LOGIN}/`, tenantId: TENANT, clientId: SERVER, publicUrl: new URL('https://gateway.example.com/onbehalf/') }));
    expect(url.pathname).toBe(`/${TENANT}/adminconsent`);
    expect(url.searchParams.get('redirect_uri')).toBe('https://gateway.example.com/onbehalf/healthz');
  });

  it('names no reply address when the server has no public URL (local), so Entra uses the registered one', () => {
    const url = new URL(adminConsentUrl({ authorityHost: LOGIN, tenantId: TENANT, clientId: SERVER, publicUrl: undefined }));
    expect([...url.searchParams.keys()]).toEqual(['client_id']);
  });

  it('returns to a page every deployment serves without sign-in', () => {
    const route = ROUTES.find((candidate) => `/${candidate.path}` === CONSENT_REDIRECT_PATH);
    expect(route?.methods).toContain('GET');
    expect(route?.handler).toBe('health');
  });
});

describe('the OBO exchange\'s consent_required', () => {
  let idp: IdentityProvider;
  beforeAll(async () => {
    idp = await startIdentityProvider({ tls: testTls(), clientId: DEV_CLIENT_ID });
  });
  afterAll(async () => {
    await idp.close();
  });

  it('carries that link for the caller\'s tenant, with the reply address under MCP_PUBLIC_URL', async () => {
    idp.oboFailures.set(ALEX.oid, { failure: 'consent_required' });
    const acquire = createOnBehalfOf({
      authorityHost: idp.url,
      tenantId: DEV_TENANT_ID,
      clientId: DEV_CLIENT_ID,
      credential: { kind: 'secret', secret: DEV_CLIENT_SECRET },
      publicUrl: new URL('https://mcp.example.com'),
    });
    const caller = {
      identity: { tid: ALEX.tid, oid: ALEX.oid, upn: ALEX.upn, name: ALEX.name, scopes: ['access_as_user'], appId: undefined, roles: [] },
      assertion: await idp.accessToken(ALEX),
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      tokenHash: 'hash-of-alex',
    };
    const error = await acquire(caller, ['User.Read']).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('consent_required');
    const url = new URL((error as AuthError).consentUrl ?? '');
    expect(url.pathname).toBe(`/${ALEX.tid}/adminconsent`);
    expect(url.searchParams.get('client_id')).toBe(DEV_CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe('https://mcp.example.com/healthz');
  });
});

describe('a server with a public URL', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // The host check compares host names only, so the local host still serves http://localhost:<port>.
    stack = await startTestStack({ env: { MCP_PUBLIC_URL: 'http://localhost' } });
  });
  afterAll(async () => {
    await stack.close();
  });

  it('puts the link with its reply address in the consent_required tool error', async () => {
    stack.idp.oboFailures.set(ALEX.oid, { failure: 'consent_required' });
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ALEX), callToolMessage('whoami'));
    const result = (answer.body as { result: { _meta: Record<string, { consentUrl?: string }> } }).result;
    expect(toolErrorCode(result)).toBe('consent_required');
    const url = new URL(result._meta['onbehalf/error']?.consentUrl ?? '');
    expect(url.pathname).toBe(`/${ALEX.tid}/adminconsent`);
    expect(url.searchParams.get('redirect_uri')).toBe('http://localhost/healthz');
  });
});
