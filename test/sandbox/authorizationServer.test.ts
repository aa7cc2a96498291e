// The local identity provider as an OAuth 2.0 / OpenID Connect server: what a client can tell apart from Entra v2.
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { DEV_FOUNDRY_CLIENT_ID, DEV_PUBLIC_CLIENT_ID, REHEARSAL_REDIRECT_URI } from '../../sandbox/identity/registrations.js';
import { ADELE, ALEX, MEGAN } from '../../sandbox/sampleUsers.js';
import { buttonValues, formsOf, HttpBrowser } from '../support/httpBrowser.js';
import { testTls } from '../support/testStack.js';

const MCP_URL = 'http://localhost:7999/mcp';
const PUBLIC_REDIRECT = 'http://127.0.0.1:53682/callback';
const FOUNDRY_REDIRECT = 'http://localhost:45123/foundry/redirect';
const API_SCOPE = `api://${DEV_CLIENT_ID}/access_as_user`;
const FOUNDRY_SCOPES = `${DEV_CLIENT_ID}/access_as_user offline_access`;

let idp: IdentityProvider;
let clock = Date.now();

beforeAll(async () => {
  idp = await startIdentityProvider({ tls: testTls(), clientId: DEV_CLIENT_ID, serverIdentifierUris: [MCP_URL], now: () => clock });
});

afterAll(async () => {
  await idp.close();
});

beforeEach(() => {
  clock = Date.now();
});

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>, tenant = 'organizations'): string {
  return `${idp.url}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({ response_type: 'code', ...params }).toString()}`;
}

interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Headers;
}

async function tokenRequest(form: Record<string, string>, options: { basic?: [string, string]; origin?: string; tenant?: string } = {}): Promise<TokenAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (options.basic !== undefined) headers['authorization'] = `Basic ${Buffer.from(`${encodeURIComponent(options.basic[0])}:${encodeURIComponent(options.basic[1])}`).toString('base64')}`;
  if (options.origin !== undefined) headers['origin'] = options.origin;
  const response = await fetch(`${idp.url}/${options.tenant ?? 'organizations'}/oauth2/v2.0/token`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  return { status: response.status, body: await response.json() as Record<string, unknown>, headers: response.headers };
}

/** The AADSTS code Entra puts first in an error description. */
function aadsts(description: unknown): string {
  return /^AADSTS\d+/.exec(String(description))?.[0] ?? `(no code in ${String(description)})`;
}

/** Signs `user` in to the public client through the pages; returns the redirect to the client. */
async function publicSignIn(browser: HttpBrowser, user: string | undefined, extra: Record<string, string> = {}, consent: 'accept' | 'cancel' = 'accept') {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const result = await browser.signIn(authorizeUrl({
    client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: `${API_SCOPE} openid profile`, state, nonce: 'n-0S6_WzA2Mj',
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  }), { ...(user !== undefined && { user }), consent, stopAt: (url) => url.origin === new URL(PUBLIC_REDIRECT).origin });
  return { ...result, verifier, state, params: result.redirect?.searchParams ?? new URLSearchParams() };
}

async function redeemPublic(code: string, verifier: string, extra: Record<string, string> = {}): Promise<TokenAnswer> {
  return tokenRequest({ grant_type: 'authorization_code', client_id: DEV_PUBLIC_CLIENT_ID, code, redirect_uri: PUBLIC_REDIRECT, code_verifier: verifier, ...extra });
}

/** Signs `user` in to the Foundry client (confidential, pre-authorized on the API) and redeems the code. */
async function foundrySignIn(browser: HttpBrowser, user: string, extra: Record<string, string> = {}) {
  const result = await browser.signIn(authorizeUrl({ client_id: DEV_FOUNDRY_CLIENT_ID, redirect_uri: FOUNDRY_REDIRECT, scope: FOUNDRY_SCOPES, state: 's' }), {
    user, consent: 'accept', stopAt: (url) => url.pathname === '/foundry/redirect',
  });
  const code = result.redirect?.searchParams.get('code') ?? '';
  const tokens = await tokenRequest({ grant_type: 'authorization_code', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: idp.registrations.foundry.clientSecret ?? '', code, redirect_uri: FOUNDRY_REDIRECT, ...extra });
  return { result, tokens, code };
}

describe('discovery', () => {
  it('lists the authorize and token endpoints of the tenant, readable from any origin', async () => {
    const response = await fetch(`${idp.url}/${DEV_TENANT_ID}/v2.0/.well-known/openid-configuration`, { headers: { origin: 'http://localhost:6274' } });
    const body = await response.json() as Record<string, unknown>;
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(body).toMatchObject({
      issuer: `${idp.url}/${DEV_TENANT_ID}/v2.0`,
      authorization_endpoint: `${idp.url}/${DEV_TENANT_ID}/oauth2/v2.0/authorize`,
      token_endpoint: `${idp.url}/${DEV_TENANT_ID}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: expect.arrayContaining(['client_secret_post', 'client_secret_basic']),
    });
    // Entra publishes none; MCP clients must cope.
    expect(body).not.toHaveProperty('code_challenge_methods_supported');
  });
});

describe('authorization code flow, public client', () => {
  it('shows one account per sample user, then the permissions, then sends a code that PKCE redeems for tokens', async () => {
    const browser = new HttpBrowser();
    const start = await browser.signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE, code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(start.pages).toEqual(['sign-in']);
    expect(buttonValues(start.last.html, 'user')).toEqual(['adele', 'alex', 'megan']);
    for (const name of [ADELE.name, ALEX.name, MEGAN.name]) expect(start.last.html).toContain(name);

    const signIn = await publicSignIn(new HttpBrowser(), 'adele');
    expect(signIn.pages).toEqual(['sign-in', 'consent']);
    expect(signIn.params.get('state')).toBe(signIn.state);
    const tokens = await redeemPublic(signIn.params.get('code') ?? '', signIn.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', scope: API_SCOPE, expires_in: 3600 });
    expect(tokens.body).not.toHaveProperty('refresh_token');
    expect(decodeJwt(String(tokens.body['access_token']))).toMatchObject({
      aud: DEV_CLIENT_ID, iss: `${idp.url}/${ADELE.tid}/v2.0`, tid: ADELE.tid, oid: ADELE.oid, azp: DEV_PUBLIC_CLIENT_ID, azpacr: '0', scp: 'access_as_user', ver: '2.0',
    });
    expect(decodeJwt(String(tokens.body['id_token']))).toMatchObject({ aud: DEV_PUBLIC_CLIENT_ID, nonce: 'n-0S6_WzA2Mj', oid: ADELE.oid, preferred_username: ADELE.upn });
  });

  it('remembers the consent and the sign-in: the next request goes straight back with a code', async () => {
    const browser = new HttpBrowser();
    await publicSignIn(browser, 'alex');
    const again = await publicSignIn(browser, undefined);
    expect(again.pages).toEqual([]);
    expect((await redeemPublic(again.params.get('code') ?? '', again.verifier)).status).toBe(200);
  });

  it('honours prompt: login and select_account show the accounts, consent asks again, none answers without a page', async () => {
    const browser = new HttpBrowser();
    await publicSignIn(browser, 'adele');
    expect((await publicSignIn(browser, undefined, { prompt: 'login' })).pages).toEqual(['sign-in']);
    expect((await publicSignIn(browser, undefined, { prompt: 'select_account' })).pages).toEqual(['sign-in']);
    expect((await publicSignIn(browser, undefined, { prompt: 'consent' }, 'accept')).pages).toEqual(['consent']);
    const silent = await publicSignIn(browser, undefined, { prompt: 'none' });
    expect(silent.pages).toEqual([]);
    expect(silent.params.get('code')).toBeTruthy();
  });

  it('answers prompt=none with login_required without a session, and consent_required without consent', async () => {
    const noSession = await publicSignIn(new HttpBrowser(), undefined, { prompt: 'none' });
    expect(noSession.params.get('error')).toBe('login_required');
    expect(aadsts(noSession.params.get('error_description'))).toBe('AADSTS50058');
    expect(noSession.params.get('state')).toBe(noSession.state);

    const browser = new HttpBrowser();
    await publicSignIn(browser, 'megan', {}, 'cancel');
    const noConsent = await publicSignIn(browser, undefined, { prompt: 'none' });
    expect(noConsent.params.get('error')).toBe('consent_required');
    expect(aadsts(noConsent.params.get('error_description'))).toBe('AADSTS65001');
  });

  it('suggests the account named by login_hint and signs in silently when it matches the session', async () => {
    const browser = new HttpBrowser();
    const hinted = await browser.signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE, code_challenge: pkce().challenge, code_challenge_method: 'S256', login_hint: ALEX.upn }));
    expect(hinted.last.html).toMatch(/value="alex" autofocus/);
    await publicSignIn(browser, 'alex');
    expect((await publicSignIn(browser, undefined, { login_hint: ALEX.upn })).pages).toEqual([]);
    expect((await publicSignIn(browser, undefined, { login_hint: ADELE.upn })).pages).toEqual(['sign-in']);
  });

  it('sends access_denied when the user cancels the consent', async () => {
    const cancelled = await publicSignIn(new HttpBrowser(), 'adele', { prompt: 'consent' }, 'cancel');
    expect(cancelled.params.get('error')).toBe('access_denied');
    expect(cancelled.params.get('error_subcode')).toBe('cancel');
    expect(aadsts(cancelled.params.get('error_description'))).toBe('AADSTS65004');
    expect(cancelled.params.get('state')).toBe(cancelled.state);
    expect(cancelled.params.has('code')).toBe(false);
  });

  it('refuses a public client without PKCE S256', async () => {
    for (const extra of [{ code_challenge: '' }, { code_challenge_method: 'plain' }]) {
      const { challenge } = pkce();
      const browser = new HttpBrowser();
      const result = await browser.signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE, code_challenge: challenge, code_challenge_method: 'S256', ...extra }).replace('code_challenge=&', ''), {
        stopAt: (url) => url.origin === new URL(PUBLIC_REDIRECT).origin,
      });
      expect(result.redirect?.searchParams.get('error')).toBe('invalid_request');
      expect(aadsts(result.redirect?.searchParams.get('error_description'))).toBe('AADSTS9002325');
    }
  });

  it('refuses a code_verifier that does not match the challenge', async () => {
    const signIn = await publicSignIn(new HttpBrowser(), 'adele');
    const tokens = await redeemPublic(signIn.params.get('code') ?? '', pkce().verifier);
    expect(tokens.status).toBe(400);
    expect(tokens.body['error']).toBe('invalid_grant');
    expect(tokens.body['error_codes']).toEqual([501481]);
  });

  it('redeems a code once', async () => {
    const signIn = await publicSignIn(new HttpBrowser(), 'adele');
    const code = signIn.params.get('code') ?? '';
    expect((await redeemPublic(code, signIn.verifier)).status).toBe(200);
    const again = await redeemPublic(code, signIn.verifier);
    expect(again.body['error']).toBe('invalid_grant');
    expect(again.body['error_codes']).toEqual([54005]);
  });

  it('refuses a code after its ten minutes', async () => {
    const signIn = await publicSignIn(new HttpBrowser(), 'adele');
    clock += 11 * 60_000;
    const late = await redeemPublic(signIn.params.get('code') ?? '', signIn.verifier);
    expect(late.body['error']).toBe('invalid_grant');
    expect(late.body['error_codes']).toEqual([70008]);
  });

  it('refuses a redemption whose redirect_uri differs from the request', async () => {
    const signIn = await publicSignIn(new HttpBrowser(), 'adele');
    const tokens = await redeemPublic(signIn.params.get('code') ?? '', signIn.verifier, { redirect_uri: 'http://127.0.0.1:53682/other' });
    expect(tokens.body['error']).toBe('invalid_grant');
    expect(tokens.body['error_codes']).toEqual([500112]);
  });
});

describe('errors shown on a page, never sent to an unregistered redirect URI', () => {
  it('refuses a redirect URI the app does not list (AADSTS50011), and an unknown client (AADSTS700016)', async () => {
    const browser = new HttpBrowser();
    const wrongRedirect = await browser.visit(authorizeUrl({ client_id: DEV_FOUNDRY_CLIENT_ID, redirect_uri: 'https://attacker.example/cb', scope: FOUNDRY_SCOPES }));
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.location).toBeUndefined();
    expect(wrongRedirect.html).toContain('AADSTS50011');
    // The local page also says what would have matched.
    expect(wrongRedirect.html).toContain('https://attacker.example/cb');
    expect(wrongRedirect.html).toContain(`${REHEARSAL_REDIRECT_URI} (Web)`);
    // Loopback: the port is ignored, the path is not.
    const wrongPath = await browser.visit(authorizeUrl({ client_id: DEV_FOUNDRY_CLIENT_ID, redirect_uri: 'http://localhost:45123/elsewhere', scope: FOUNDRY_SCOPES }));
    expect(wrongPath.html).toContain('AADSTS50011');
    const unknownClient = await browser.visit(authorizeUrl({ client_id: '11111111-2222-4333-8444-555555555555', redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE }));
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.html).toContain('AADSTS700016');
  });

  it('refuses a user of another tenant at a tenant authority (AADSTS50020)', async () => {
    const browser = new HttpBrowser();
    const result = await browser.signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE, code_challenge: pkce().challenge, code_challenge_method: 'S256' }, DEV_TENANT_ID), { user: 'megan' });
    expect(result.last.status).toBe(400);
    expect(result.last.html).toContain('AADSTS50020');
    expect(result.last.html).toContain(MEGAN.upn);
  });

  it('refuses an unknown tenant (AADSTS90002)', async () => {
    const page = await new HttpBrowser().visit(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE }, '99999999-9999-4999-8999-999999999999'));
    expect(page.html).toContain('AADSTS90002');
  });
});

describe('forged form posts', () => {
  it('answers the sign-in and consent forms only in the browser that started the sign-in', async () => {
    const victim = new HttpBrowser();
    const page = await victim.visit(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: PUBLIC_REDIRECT, scope: API_SCOPE, code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    const [form] = formsOf(page.html);
    const forged = await new HttpBrowser().visit(`${idp.url}/login`, { flow: form?.fields['flow'] ?? '', user: 'adele' });
    expect(forged.status).toBe(400);
    expect(forged.location).toBeUndefined();
    expect(forged.html).toContain('AADSTS50089');
  });

  it('revokes from a browser only with the revoke page\'s token', async () => {
    const fromElsewhere = await fetch(`${idp.url}/dev/revoke?user=adele`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(fromElsewhere.status).toBe(403);
    const browser = new HttpBrowser();
    const page = await browser.visit(`${idp.url}/dev/revoke`);
    const form = formsOf(page.html).find((candidate) => candidate.id === 'revoke-adele');
    const cookie = (await fetch(`${idp.url}/dev/revoke`)).headers.getSetCookie()[0]?.split(';')[0] ?? '';
    const wrongToken = await fetch(`${idp.url}/dev/revoke`, { method: 'POST', headers: { origin: idp.url, cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form?.fields ?? {}) });
    expect(wrongToken.status).toBe(403);
    const fromThePage = await browser.visit(`${idp.url}/dev/revoke`, form?.fields ?? {});
    expect(fromThePage.status).toBe(200);
    expect(fromThePage.html).toContain('Revoked Adele Vance');
  });
});

describe('RFC 8707 resource parameter', () => {
  it('is refused unless it is an App ID URI of the scopes\' app (AADSTS9010010)', async () => {
    const refused = await publicSignIn(new HttpBrowser(), 'adele', { resource: 'https://onbehalf.example/mcp' });
    expect(refused.pages).toEqual([]);
    expect(refused.params.get('error')).toBe('invalid_target');
    expect(aadsts(refused.params.get('error_description'))).toBe('AADSTS9010010');

    const accepted = await publicSignIn(new HttpBrowser(), 'adele', { resource: MCP_URL });
    const tokens = await redeemPublic(accepted.params.get('code') ?? '', accepted.verifier, { resource: MCP_URL });
    expect(tokens.status).toBe(200);
    expect(decodeJwt(String(tokens.body['access_token'])).aud).toBe(DEV_CLIENT_ID);
  });
});

describe('confidential client (Foundry)', () => {
  it('asks consent only for what the API did not pre-authorize, and returns a refresh token', async () => {
    idp.revoke(ADELE);
    const { result, tokens } = await foundrySignIn(new HttpBrowser(), 'adele');
    expect(result.pages).toEqual(['sign-in', 'consent']);
    expect(result.html['consent']).toContain('offline_access');
    expect(result.html['consent']).not.toContain('access_as_user');
    expect(tokens.status).toBe(200);
    expect(typeof tokens.body['refresh_token']).toBe('string');
    expect(decodeJwt(String(tokens.body['access_token']))).toMatchObject({ aud: DEV_CLIENT_ID, azp: DEV_FOUNDRY_CLIENT_ID, azpacr: '1', scp: 'access_as_user' });
  });

  it('refuses a code_verifier for a code issued without code_challenge (RFC 9700 §2.1.1: no PKCE downgrade)', async () => {
    const { tokens } = await foundrySignIn(new HttpBrowser(), 'adele', { code_verifier: pkce().verifier });
    expect(tokens.status).toBe(400);
    expect(tokens.body['error']).toBe('invalid_grant');
    expect(tokens.body['error_codes']).toEqual([501481]);
  });

  it('voids the refresh tokens issued from a code when the code is presented again (RFC 6749 §4.1.2)', async () => {
    const { tokens, code } = await foundrySignIn(new HttpBrowser(), 'alex');
    const secret = idp.registrations.foundry.clientSecret ?? '';
    const refreshToken = String(tokens.body['refresh_token']);
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: secret, refresh_token: refreshToken, scope: FOUNDRY_SCOPES });
    expect(refreshed.status).toBe(200);
    const replayed = await tokenRequest({ grant_type: 'authorization_code', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: secret, code, redirect_uri: FOUNDRY_REDIRECT });
    expect(replayed.body['error_codes']).toEqual([54005]);
    // Both the refresh token the code gave and the one its refresh gave are void now.
    for (const token of [refreshToken, String(refreshed.body['refresh_token'])]) {
      const refused = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: secret, refresh_token: token, scope: FOUNDRY_SCOPES });
      expect(refused.status).toBe(400);
      expect(refused.body['error']).toBe('invalid_grant');
    }
    // Another sign-in of the same user is not affected.
    const other = await foundrySignIn(new HttpBrowser(), 'alex');
    const fresh = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: secret, refresh_token: String(other.tokens.body['refresh_token']), scope: FOUNDRY_SCOPES });
    expect(fresh.status).toBe(200);
  });

  it('refreshes with client_secret_basic, issuing a new refresh token; the old one keeps working, as with Entra', async () => {
    const { tokens } = await foundrySignIn(new HttpBrowser(), 'alex');
    const first = String(tokens.body['refresh_token']);
    const secret = idp.registrations.foundry.clientSecret ?? '';
    const refreshed = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first, scope: FOUNDRY_SCOPES }, { basic: [DEV_FOUNDRY_CLIENT_ID, secret] });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).not.toBe(first);
    expect(decodeJwt(String(refreshed.body['access_token']))).toMatchObject({ oid: ALEX.oid, scp: 'access_as_user' });
    const withOld = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: secret, refresh_token: first });
    expect(withOld.status).toBe(200);
  });

  it('refuses a wrong, missing or misplaced client secret', async () => {
    const { tokens } = await foundrySignIn(new HttpBrowser(), 'adele');
    const refreshToken = String(tokens.body['refresh_token']);
    const wrongPost = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: 'not-the-secret', refresh_token: refreshToken });
    expect(wrongPost.status).toBe(401);
    expect(wrongPost.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const wrongBasic = await tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }, { basic: [DEV_FOUNDRY_CLIENT_ID, 'not-the-secret'] });
    expect(wrongBasic.body).toMatchObject({ error: 'invalid_client', error_codes: [7000215] });
    const none = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, refresh_token: refreshToken });
    expect(none.body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
    const publicWithSecret = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_PUBLIC_CLIENT_ID, client_secret: 'x', refresh_token: refreshToken });
    expect(publicWithSecret.body).toMatchObject({ error: 'invalid_client', error_codes: [700025] });
    const otherClient = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_PUBLIC_CLIENT_ID, refresh_token: refreshToken });
    expect(otherClient.body).toMatchObject({ error: 'invalid_grant', error_codes: [70000] });
    const unknown = await tokenRequest({ grant_type: 'refresh_token', client_id: '11111111-2222-4333-8444-555555555555', refresh_token: refreshToken });
    expect(unknown.body).toMatchObject({ error: 'unauthorized_client', error_codes: [700016] });
  });

  it('refuses refresh tokens after revocation (AADSTS50173) and asks consent again at the next sign-in', async () => {
    const browser = new HttpBrowser();
    const { tokens } = await foundrySignIn(browser, 'megan');
    expect(idp.revoke(MEGAN).consents).toBeGreaterThan(0);
    const refused = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: idp.registrations.foundry.clientSecret ?? '', refresh_token: String(tokens.body['refresh_token']) });
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
    // The sign-in session went too: the same browser sees the accounts and the consent again.
    expect((await foundrySignIn(browser, 'megan')).result.pages).toEqual(['sign-in', 'consent']);
  });

  it('revokes through /dev/revoke with a POST, and only a POST', async () => {
    const { tokens } = await foundrySignIn(new HttpBrowser(), 'alex');
    const page = await fetch(`${idp.url}/dev/revoke?user=alex`);
    expect(page.status).toBe(200);
    const stillValid = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: idp.registrations.foundry.clientSecret ?? '', refresh_token: String(tokens.body['refresh_token']) });
    expect(stillValid.status).toBe(200);
    const revoked = await fetch(`${idp.url}/dev/revoke?user=${encodeURIComponent(ALEX.upn)}`, { method: 'POST' });
    expect(await revoked.json()).toMatchObject({ user: ALEX.upn });
    const refused = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: idp.registrations.foundry.clientSecret ?? '', refresh_token: String(stillValid.body['refresh_token']) });
    expect(refused.body).toMatchObject({ error: 'invalid_grant', error_codes: [50173] });
  });

  it('lets refresh tokens expire', async () => {
    const { tokens } = await foundrySignIn(new HttpBrowser(), 'adele');
    clock += 91 * 24 * 3600_000;
    const expired = await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_FOUNDRY_CLIENT_ID, client_secret: idp.registrations.foundry.clientSecret ?? '', refresh_token: String(tokens.body['refresh_token']) });
    expect(expired.body).toMatchObject({ error: 'invalid_grant', error_codes: [700082] });
  });

  it('redirects to the rehearsal on any loopback port', () => {
    expect(idp.registrations.foundry.redirectUris.map((redirect) => redirect.uri)).toContain(REHEARSAL_REDIRECT_URI);
  });
});

describe('the public client\'s redirect URIs, as each client redeems its code', () => {
  /** Signs Adele in with `redirectUri` and redeems the code the way `origin` says: from a page, or (undefined) from a process. */
  async function signInAndRedeem(redirectUri: string, origin?: string): Promise<{ signIn: Awaited<ReturnType<HttpBrowser['signIn']>>; tokens?: TokenAnswer }> {
    const { verifier, challenge } = pkce();
    const target = new URL(redirectUri);
    const signIn = await new HttpBrowser().signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: redirectUri, scope: API_SCOPE, code_challenge: challenge, code_challenge_method: 'S256' }), {
      user: 'adele', consent: 'accept', stopAt: (url) => url.origin === target.origin && url.pathname === target.pathname,
    });
    const code = signIn.redirect?.searchParams.get('code');
    if (code === null || code === undefined) return { signIn };
    const tokens = await tokenRequest({ grant_type: 'authorization_code', client_id: DEV_PUBLIC_CLIENT_ID, code, redirect_uri: redirectUri, code_verifier: verifier }, origin === undefined ? {} : { origin });
    return { signIn, tokens };
  }

  // MCP Inspector 2.x builds its redirect from the address it is opened at and redeems from its backend.
  it.each(['http://127.0.0.1:6274/oauth/callback', 'http://localhost:6274/oauth/callback', 'http://127.0.0.1:40123/oauth/callback'])('takes MCP Inspector 2.x\'s %s, redeemed without an Origin', async (redirectUri) => {
    const { tokens } = await signInAndRedeem(redirectUri);
    expect(tokens?.status).toBe(200);
    expect(decodeJwt(String(tokens?.body['access_token']))).toMatchObject({ oid: ADELE.oid, aud: DEV_CLIENT_ID });
  });

  // VS Code: its own loopback server (port 33418, or a free one), MSAL's (its Microsoft sign-in), and its vscode.dev bounce.
  it.each(['http://127.0.0.1:33418/', 'http://127.0.0.1:51234/', 'http://localhost:51234', 'https://vscode.dev/redirect'])('takes VS Code\'s %s, redeemed without an Origin', async (redirectUri) => {
    const { tokens } = await signInAndRedeem(redirectUri);
    expect(tokens?.status).toBe(200);
  });

  it('refuses Inspector 2.x\'s callback redeemed from a page: it is no single-page app (AADSTS9002326)', async () => {
    const { tokens } = await signInAndRedeem('http://localhost:6274/oauth/callback', 'http://localhost:6274');
    expect(tokens?.body).toMatchObject({ error: 'invalid_request', error_codes: [9002326] });
  });

  it('names the refused redirect URI and the registered ones, with their platforms, on the AADSTS50011 page', async () => {
    const page = await new HttpBrowser().visit(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: 'http://127.0.0.1:6274/oauth/elsewhere', scope: API_SCOPE, code_challenge: pkce().challenge, code_challenge_method: 'S256' }));
    expect(page.status).toBe(400);
    expect(page.html).toContain('AADSTS50011');
    expect(page.html).toContain('http://127.0.0.1:6274/oauth/elsewhere');
    for (const registered of ['http://127.0.0.1/oauth/callback (Mobile and desktop applications)', 'http://localhost/oauth/callback (Mobile and desktop applications)', 'https://vscode.dev/redirect (Mobile and desktop applications)', 'http://localhost/oauth/callback/debug (Single-page application)']) {
      expect(page.html).toContain(registered);
    }
  });
});

describe('token endpoint', () => {
  it('names what is missing or unsupported', async () => {
    expect((await tokenRequest({ client_id: DEV_PUBLIC_CLIENT_ID })).body).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    expect((await tokenRequest({ grant_type: 'password', client_id: DEV_PUBLIC_CLIENT_ID })).body).toMatchObject({ error: 'unsupported_grant_type', error_codes: [70003] });
    expect((await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_PUBLIC_CLIENT_ID, refresh_token: 'forged' })).body).toMatchObject({ error: 'invalid_grant', error_codes: [9002313] });
    expect((await tokenRequest({ grant_type: 'refresh_token', client_id: DEV_PUBLIC_CLIENT_ID, refresh_token: 'x' }, { tenant: 'contoso' })).body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
  });

  it('lets only single-page-app redirect URIs redeem cross-origin, and those only cross-origin', async () => {
    const signIn = await publicSignIn(new HttpBrowser(), 'adele');
    const fromApp = await redeemPublic(signIn.params.get('code') ?? '', signIn.verifier);
    expect(fromApp.status).toBe(200);

    const other = await publicSignIn(new HttpBrowser(), 'adele');
    const fromPage = await tokenRequest({ grant_type: 'authorization_code', client_id: DEV_PUBLIC_CLIENT_ID, code: other.params.get('code') ?? '', redirect_uri: PUBLIC_REDIRECT, code_verifier: other.verifier }, { origin: 'http://localhost:6274' });
    expect(fromPage.body).toMatchObject({ error: 'invalid_request', error_codes: [9002326] });

    const spaRedirect = 'http://localhost:6274/oauth/callback/debug';
    const { verifier, challenge } = pkce();
    const spa = await new HttpBrowser().signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: spaRedirect, scope: API_SCOPE, code_challenge: challenge, code_challenge_method: 'S256' }), {
      user: 'alex', consent: 'accept', stopAt: (url) => url.pathname === '/oauth/callback/debug',
    });
    const spaForm = { grant_type: 'authorization_code', client_id: DEV_PUBLIC_CLIENT_ID, code: spa.redirect?.searchParams.get('code') ?? '', redirect_uri: spaRedirect, code_verifier: verifier };
    const fromServer = await tokenRequest(spaForm);
    expect(fromServer.body).toMatchObject({ error: 'invalid_request', error_codes: [9002327] });
  });

  it('redeems a single-page app\'s code from its page, readable there', async () => {
    const spaRedirect = 'http://localhost:6274/oauth/callback/debug';
    const { verifier, challenge } = pkce();
    const spa = await new HttpBrowser().signIn(authorizeUrl({ client_id: DEV_PUBLIC_CLIENT_ID, redirect_uri: spaRedirect, scope: `${API_SCOPE} offline_access`, code_challenge: challenge, code_challenge_method: 'S256' }), {
      user: 'alex', consent: 'accept', stopAt: (url) => url.pathname === '/oauth/callback/debug',
    });
    const tokens = await tokenRequest({ grant_type: 'authorization_code', client_id: DEV_PUBLIC_CLIENT_ID, code: spa.redirect?.searchParams.get('code') ?? '', redirect_uri: spaRedirect, code_verifier: verifier }, { origin: 'http://localhost:6274' });
    expect(tokens.status).toBe(200);
    expect(tokens.headers.get('access-control-allow-origin')).toBe('http://localhost:6274');
    // Entra gives single-page apps refresh tokens of 24 hours.
    expect(tokens.body['refresh_token_expires_in']).toBe(86_400);
  });
});

describe('tenants', () => {
  it('issues tokens with the user\'s own tenant issuer when signed in at organizations', async () => {
    const { tokens } = await foundrySignIn(new HttpBrowser(), 'megan');
    expect(decodeJwt(String(tokens.body['access_token']))).toMatchObject({ tid: DEV_OTHER_TENANT_ID, iss: `${idp.url}/${DEV_OTHER_TENANT_ID}/v2.0` });
  });
});

describe('device code flow', () => {
  async function deviceCode(form: Record<string, string>, tenant = 'organizations'): Promise<TokenAnswer> {
    const response = await fetch(`${idp.url}/${tenant}/oauth2/v2.0/devicecode`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    return { status: response.status, body: await response.json() as Record<string, unknown>, headers: response.headers };
  }

  async function startDevice(): Promise<{ deviceCode: string; userCode: string; verificationUri: string; poll: () => Promise<TokenAnswer> }> {
    const started = await deviceCode({ client_id: DEV_PUBLIC_CLIENT_ID, scope: `${API_SCOPE} openid profile offline_access` });
    expect(started.status).toBe(200);
    const deviceCodeValue = String(started.body['device_code']);
    return {
      deviceCode: deviceCodeValue,
      userCode: String(started.body['user_code']),
      verificationUri: String(started.body['verification_uri']),
      poll: () => tokenRequest({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: DEV_PUBLIC_CLIENT_ID, device_code: deviceCodeValue }),
    };
  }

  it('is listed in discovery', async () => {
    const config = await (await fetch(`${idp.url}/organizations/v2.0/.well-known/openid-configuration`)).json() as Record<string, unknown>;
    expect(config['device_authorization_endpoint']).toBe(`${idp.url}/organizations/oauth2/v2.0/devicecode`);
  });

  it('answers authorization_pending until the user enters the code and signs in, then the tokens of that user, once', async () => {
    const device = await startDevice();
    expect(device.verificationUri).toBe(`${idp.url}/devicelogin`);
    expect((await device.poll()).body).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });

    const signIn = await new HttpBrowser().signIn(device.verificationUri, { deviceCode: device.userCode.toLowerCase(), user: 'alex', consent: 'accept' });
    expect(signIn.pages).toEqual(['device-code', 'sign-in', 'consent']);
    expect(signIn.last.html).toContain('id="device-signed-in"');

    const tokens = await device.poll();
    expect(tokens.status).toBe(200);
    expect(decodeJwt(String(tokens.body['access_token']))).toMatchObject({ aud: DEV_CLIENT_ID, azp: DEV_PUBLIC_CLIENT_ID, oid: ALEX.oid, scp: 'access_as_user' });
    expect(tokens.body['refresh_token']).toEqual(expect.any(String));
    expect((await device.poll()).body).toMatchObject({ error: 'bad_verification_code' });
  });

  it('answers authorization_declined when the user cancels the consent', async () => {
    const device = await startDevice();
    await new HttpBrowser().signIn(device.verificationUri, { deviceCode: device.userCode, user: 'megan', consent: 'cancel' });
    expect((await device.poll()).body).toMatchObject({ error: 'authorization_declined', error_codes: [65004] });
  });

  it('answers expired_token after fifteen minutes, and the page no longer takes the code', async () => {
    const device = await startDevice();
    clock += 15 * 60_000 + 1000;
    const page = await new HttpBrowser().signIn(device.verificationUri, { deviceCode: device.userCode, user: 'adele', consent: 'accept' });
    expect(page.pages).toEqual(['device-code', 'device-code']);
    expect(page.last.status).toBe(400);
    expect((await device.poll()).body).toMatchObject({ error: 'expired_token', error_codes: [70019] });
  });

  it('serves public clients only, and names what is missing', async () => {
    expect((await deviceCode({ client_id: DEV_FOUNDRY_CLIENT_ID, scope: FOUNDRY_SCOPES })).body).toMatchObject({ error: 'invalid_client', error_codes: [7000218] });
    expect((await deviceCode({ scope: API_SCOPE })).body).toMatchObject({ error: 'invalid_request', error_codes: [900144] });
    expect((await deviceCode({ client_id: DEV_PUBLIC_CLIENT_ID, scope: API_SCOPE }, 'not-a-tenant')).body).toMatchObject({ error: 'invalid_request', error_codes: [90002] });
    expect((await tokenRequest({ grant_type: 'device_code', client_id: DEV_PUBLIC_CLIENT_ID, device_code: 'forged' })).body).toMatchObject({ error: 'bad_verification_code' });
  });
});
