// The caller-refusal matrix of POST /mcp over real HTTP: every token defect, its status, WWW-Authenticate and error code.
import { decodeJwt, exportSPKI, importJWK, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { createTokenVerifier } from '../../shared/auth/verifyAccessToken.js';
import { AuthError } from '../../shared/auth/authError.js';
import { DEV_FOUNDRY_CLIENT_ID, DEV_PUBLIC_CLIENT_ID } from '../../sandbox/identity/registrations.js';
import { silentLogger } from '../../shared/log/logger.js';
import { newSigningKey } from '../../sandbox/identityProvider.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { ADELE, MEGAN } from '../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { parseChallenge, type RpcErrorBody } from '../http/rawRequest.js';

const EXTRA_AUDIENCE = 'https://onbehalf.example.com';
const SCOPE = `api://${DEV_CLIENT_ID}/access_as_user`;
const SKEW_SECONDS = 300;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ env: { MCP_AUDIENCES: EXTRA_AUDIENCE } });
});
afterAll(async () => {
  await stack.close();
});

const now = (): number => Math.floor(Date.now() / 1000);

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** POSTs an initialize with the given Authorization header (none when undefined). */
async function postInitialize(target: TestStack, authorization: string | undefined): Promise<Answer> {
  const response = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: mcpHeaders(undefined, authorization === undefined ? {} : { authorization }),
    body: JSON.stringify(INITIALIZE),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

interface Refusal {
  readonly status: 401 | 403;
  readonly code: string;
  /** The RFC 6750 `error` auth-param, or undefined when none must be sent. */
  readonly error: 'invalid_token' | 'insufficient_scope' | undefined;
  /** The token sent, checked never to come back; undefined when none was sent. */
  readonly token: string | undefined;
}

function expectRefusal(target: TestStack, answer: Answer, expected: Refusal): void {
  expect(answer.status).toBe(expected.status);
  const challenge = parseChallenge(answer.headers.get('www-authenticate'));
  expect(challenge?.scheme.toLowerCase()).toBe('bearer');
  expect(challenge?.params['resource_metadata']).toBe(`http://localhost:${target.host.port}/.well-known/oauth-protected-resource/mcp`);
  expect(challenge?.params['scope']).toBe(SCOPE);
  expect(challenge?.params['error']).toBe(expected.error);
  if (expected.token !== undefined && expected.error !== undefined) {
    expect(challenge?.params['error_description']).toEqual(expect.any(String));
    expect(challenge?.params['error_description']?.length).toBeGreaterThan(0);
  } else {
    expect(challenge?.params['error_description']).toBeUndefined();
  }
  const body = JSON.parse(answer.text) as RpcErrorBody;
  expect(body.jsonrpc).toBe('2.0');
  expect(body.error.data?.code).toBe(expected.code);
  if (expected.token !== undefined) expectNoEcho(answer, expected.token);
}

/** Neither the body nor any header may carry the token, or its signature segment. */
function expectNoEcho(answer: Answer, token: string): void {
  const needles = [token, token.split('.')[2] ?? ''].filter((needle) => needle.length >= 16);
  const places = [answer.text, ...[...answer.headers.entries()].map(([name, value]) => `${name}: ${value}`)];
  for (const needle of needles) {
    for (const place of places) expect(place.includes(needle)).toBe(false);
  }
}

function expectAccepted(answer: Answer): void {
  expect(answer.status).toBe(200);
  const body = JSON.parse(answer.text) as { result?: { protocolVersion?: string; serverInfo?: { name?: string } } };
  expect(body.result?.serverInfo?.name).toBe('onbehalf');
}

const base64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The claims of a valid token for `ADELE`, to re-sign in other ways. */
async function validClaims(): Promise<JWTPayload> {
  return decodeJwt(await stack.idp.accessToken(ADELE));
}

describe('refused: no usable bearer token', () => {
  it('no Authorization header: 401 without an error param, token_missing', async () => {
    expectRefusal(stack, await postInitialize(stack, undefined), { status: 401, code: 'token_missing', error: undefined, token: undefined });
  });

  it('another scheme (Basic): 401 without an error param, token_missing', async () => {
    const answer = await postInitialize(stack, `Basic ${Buffer.from('user:password').toString('base64')}`);
    expectRefusal(stack, answer, { status: 401, code: 'token_missing', error: undefined, token: undefined });
    expect(answer.text.includes('password')).toBe(false);
  });

  it('an empty bearer token: 401 without an error param, token_missing', async () => {
    expectRefusal(stack, await postInitialize(stack, 'Bearer '), { status: 401, code: 'token_missing', error: undefined, token: undefined });
  });

  it('a token that is not a JWT: token_malformed', async () => {
    const token = 'not-a-jwt-but-a-long-opaque-string-0123456789';
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'token_malformed', error: 'invalid_token', token });
  });

  it('a token of 16 KiB or more: token_too_large', async () => {
    const token = await stack.idp.accessToken(ADELE, { padding: 'x'.repeat(16 * 1024) });
    expect(token.length).toBeGreaterThan(16 * 1024);
    // Node's HTTP server caps all request headers at 16 KiB (maxHeaderSize) and answers 431 itself, so over
    // the local host this token never reaches the app; the Functions host (Kestrel, 32 KiB) does pass it on.
    // So the app's own answer is checked through the very handler the hosts serve.
    const response = await stack.app.mcp(new Request(stack.mcpUrl, {
      method: 'POST',
      headers: mcpHeaders(token),
      body: JSON.stringify(INITIALIZE),
    }), silentLogger);
    const answer: Answer = { status: response.status, headers: response.headers, text: await response.text() };
    expectRefusal(stack, answer, { status: 401, code: 'token_too_large', error: 'invalid_token', token });
    // Over real HTTP it is refused too, and not echoed.
    const overHttp = await postInitialize(stack, `Bearer ${token}`);
    expect([401, 431]).toContain(overHttp.status);
    expectNoEcho(overHttp, token);
  });
});

describe('refused: algorithm and key', () => {
  it('alg none (unsigned): algorithm_not_allowed', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(await validClaims())}.`;
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'algorithm_not_allowed', error: 'invalid_token', token });
  });

  it('HS256 keyed with the public key (SPKI PEM bytes): algorithm_not_allowed', async () => {
    const { kid, publicJwk } = stack.idp.currentKey;
    const pem = await exportSPKI(await importJWK(publicJwk, 'RS256') as CryptoKey);
    const token = await new SignJWT(await validClaims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(new TextEncoder().encode(pem));
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'algorithm_not_allowed', error: 'invalid_token', token });
  });

  it('HS256 keyed with the JWK modulus n: algorithm_not_allowed', async () => {
    const { kid, publicJwk } = stack.idp.currentKey;
    const token = await new SignJWT(await validClaims()).setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid }).sign(new TextEncoder().encode(publicJwk.n ?? ''));
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'algorithm_not_allowed', error: 'invalid_token', token });
  });

  it('an unknown kid: key_unknown', async () => {
    const token = await stack.idp.sign(await validClaims(), { kid: 'no-such-kid' });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'key_unknown', error: 'invalid_token', token });
  });

  it('a key embedded in the header (jwk, jku, x5u) is never followed: key_unknown', async () => {
    const attacker = await newSigningKey();
    const token = await new SignJWT(await validClaims())
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: attacker.kid, jwk: attacker.publicJwk, jku: 'https://evil.example/keys', x5u: 'https://evil.example/cert' })
      .sign(attacker.privateKey);
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'key_unknown', error: 'invalid_token', token });
  });

  it('signed by another key under the published kid: signature_invalid', async () => {
    const impostor = await newSigningKey();
    const token = await stack.idp.sign(await validClaims(), { kid: stack.idp.currentKey.kid, key: impostor.privateKey });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'signature_invalid', error: 'invalid_token', token });
  });
});

describe('lifetime, with 5 minutes of clock skew', () => {
  it('expired beyond the skew: token_expired', async () => {
    const t = now();
    const token = await stack.idp.accessToken(ADELE, { iat: t - 3600 - SKEW_SECONDS - 60, nbf: t - 3600 - SKEW_SECONDS - 60, exp: t - SKEW_SECONDS - 60 });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'token_expired', error: 'invalid_token', token });
  });

  it('expired within the skew: accepted', async () => {
    const t = now();
    const token = await stack.idp.accessToken(ADELE, { iat: t - 3600, nbf: t - 3600, exp: t - 60 });
    expectAccepted(await postInitialize(stack, `Bearer ${token}`));
  });

  it('nbf in the future beyond the skew: token_not_yet_valid', async () => {
    const t = now();
    const token = await stack.idp.accessToken(ADELE, { iat: t, nbf: t + SKEW_SECONDS + 60, exp: t + 3600 });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'token_not_yet_valid', error: 'invalid_token', token });
  });

  it('nbf in the future within the skew: accepted', async () => {
    const t = now();
    const token = await stack.idp.accessToken(ADELE, { iat: t, nbf: t + 60, exp: t + 3600 });
    expectAccepted(await postInitialize(stack, `Bearer ${token}`));
  });
});

describe('issuer and tenant', () => {
  it('a foreign issuer: issuer_invalid', async () => {
    const token = await stack.idp.accessToken(ADELE, { iss: `https://evil.example/${ADELE.tid}/v2.0` });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'issuer_invalid', error: 'invalid_token', token });
  });

  it('the issuer of another tenant than tid: issuer_invalid', async () => {
    const token = await stack.idp.accessToken(ADELE, { iss: stack.idp.issuer(MEGAN.tid) });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'issuer_invalid', error: 'invalid_token', token });
  });

  it('a v1 issuer (https://sts.windows.net/<tid>/): issuer_invalid', async () => {
    const token = await stack.idp.accessToken(ADELE, { iss: `https://sts.windows.net/${ADELE.tid}/`, ver: '1.0' });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'issuer_invalid', error: 'invalid_token', token });
  });

  describe('with ENTRA_ALLOWED_TENANTS set to the first dev tenant only', () => {
    let restricted: TestStack;
    beforeAll(async () => {
      restricted = await startTestStack({ env: { ENTRA_ALLOWED_TENANTS: DEV_TENANT_ID } });
    });
    afterAll(async () => {
      await restricted.close();
    });

    it('a user of another tenant, with that tenant\'s own issuer: tenant_not_allowed', async () => {
      const token = await restricted.idp.accessToken(MEGAN);
      expect(decodeJwt(token).iss).toBe(restricted.idp.issuer(MEGAN.tid));
      expectRefusal(restricted, await postInitialize(restricted, `Bearer ${token}`), { status: 401, code: 'tenant_not_allowed', error: 'invalid_token', token });
    });

    it('a user of the allowed tenant: accepted', async () => {
      expectAccepted(await postInitialize(restricted, `Bearer ${await restricted.idp.accessToken(ADELE)}`));
    });
  });
});

describe('audience', () => {
  it('another audience: audience_invalid', async () => {
    const token = await stack.idp.accessToken(ADELE, { aud: '00000003-0000-0000-c000-000000000000' });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'audience_invalid', error: 'invalid_token', token });
  });

  it.each([
    ['the client id (GUID)', DEV_CLIENT_ID],
    ['api://<client id>', `api://${DEV_CLIENT_ID}`],
    ['an extra audience from MCP_AUDIENCES', EXTRA_AUDIENCE],
  ])('accepts %s', async (_label, aud) => {
    expectAccepted(await postInitialize(stack, `Bearer ${await stack.idp.accessToken(ADELE, { aud })}`));
  });
});

describe('caller kind and scope', () => {
  it('without the required scope: 403 insufficient_scope, scope_missing', async () => {
    const token = await stack.idp.accessToken(ADELE, { scp: 'Files.Read other_scope' });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 403, code: 'scope_missing', error: 'insufficient_scope', token });
  });

  it('an app-only token (idtyp app, roles, no scp): 401 app_only_caller', async () => {
    const token = await stack.idp.accessToken(ADELE, { idtyp: 'app', roles: ['Mail.Read.All'], scp: undefined, name: undefined, preferred_username: undefined });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'app_only_caller', error: 'invalid_token', token });
  });

  it('the scheme name is case-insensitive (RFC 9110): "bearer" accepted', async () => {
    expectAccepted(await postInitialize(stack, `bearer ${await stack.idp.accessToken(ADELE)}`));
  });

  it('a token without exp: refused as token_malformed', async () => {
    const token = await stack.idp.accessToken(ADELE, { exp: undefined });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'token_malformed', error: 'invalid_token', token });
  });

  it('a valid user token: accepted', async () => {
    expectAccepted(await postInitialize(stack, `Bearer ${await stack.idp.accessToken(ADELE)}`));
  });
});

describe('app roles (the roles claim)', () => {
  const verifierFor = (target: TestStack) => createTokenVerifier({
    authorityHost: target.config.authorityHost,
    tenantId: target.config.tenantId,
    allowedTenants: target.config.allowedTenants,
    audiences: target.config.audiences,
    requiredScope: target.config.requiredScope,
  });

  it('reaches the identity once each, and absent is none', async () => {
    const verify = verifierFor(stack);
    const withRoles = await verify(await stack.idp.accessToken(ADELE, { roles: ['Tools.Read', 'Tools.Write', 'Tools.Read'] }));
    expect(withRoles.identity.roles).toEqual(['Tools.Read', 'Tools.Write']);
    const without = await verify(await stack.idp.accessToken(MEGAN, { roles: undefined }));
    expect(without.identity.roles).toEqual([]);
  });

  it.each([
    ['a string, not a list', 'Tools.Write'],
    ['a number in the list', ['Tools.Read', 7]],
    ['an object in the list', [{ value: 'Tools.Write' }]],
    ['an empty name', ['']],
    ['a name of 121 characters', ['R'.repeat(121)]],
    ['101 roles', Array.from({ length: 101 }, (_, index) => `Role.${index}`)],
  ])('%s: token_malformed', async (_label, roles) => {
    const token = await stack.idp.accessToken(ADELE, { roles });
    expectRefusal(stack, await postInitialize(stack, `Bearer ${token}`), { status: 401, code: 'token_malformed', error: 'invalid_token', token });
  });

  it('takes 100 roles of 120 characters', async () => {
    const roles = Array.from({ length: 100 }, (_, index) => `${index}`.padEnd(120, 'r'));
    expect((await verifierFor(stack)(await stack.idp.accessToken(ADELE, { roles }))).identity.roles).toHaveLength(100);
  });
});

describe('MCP_ALLOWED_CLIENT_APPS', () => {
  let restricted: TestStack;
  beforeAll(async () => {
    // A user budget, so a request that got as far as the budget would carry RateLimit-* headers.
    restricted = await startTestStack({ env: { MCP_ALLOWED_CLIENT_APPS: DEV_FOUNDRY_CLIENT_ID.toUpperCase(), RATE_LIMIT_USER_PER_MINUTE: '100' } });
  });
  afterAll(async () => {
    await restricted.close();
  });

  it('refuses another app\'s valid token: 403 client_app_not_allowed naming the app, no challenge, before any budget, Table or Entra work', async () => {
    const token = await restricted.idp.accessToken(ADELE, { azp: DEV_PUBLIC_CLIENT_ID });
    const exchanges = restricted.idp.counts.obo;
    const answer = await postInitialize(restricted, `Bearer ${token}`);
    expect(answer.status).toBe(403);
    // A new token from the same app would carry the same azp: nothing for a client to sign in again for.
    expect(answer.headers.get('www-authenticate')).toBeNull();
    expect(answer.headers.get('ratelimit-limit')).toBeNull();
    const body = JSON.parse(answer.text) as RpcErrorBody;
    expect(body.error.data?.code).toBe('client_app_not_allowed');
    expect(body.error.message).toContain(DEV_PUBLIC_CLIENT_ID);
    expect(restricted.idp.counts.obo).toBe(exchanges);
    expectNoEcho(answer, token);
  });

  it('refuses a token that names no client app', async () => {
    const answer = await postInitialize(restricted, `Bearer ${await restricted.idp.accessToken(ADELE, { azp: undefined })}`);
    expect(answer.status).toBe(403);
    expect((JSON.parse(answer.text) as RpcErrorBody).error.data?.code).toBe('client_app_not_allowed');
  });

  it('judges the app only of an otherwise valid token: an expired one is token_expired', async () => {
    const token = await restricted.idp.accessToken(ADELE, { azp: DEV_PUBLIC_CLIENT_ID, exp: now() - 2 * SKEW_SECONDS });
    expectRefusal(restricted, await postInitialize(restricted, `Bearer ${token}`), { status: 401, code: 'token_expired', error: 'invalid_token', token });
  });

  it('serves the allowed app, whatever the case of its id', async () => {
    expectAccepted(await postInitialize(restricted, `Bearer ${await restricted.idp.accessToken(ADELE, { azp: DEV_FOUNDRY_CLIENT_ID })}`));
    await expect(createTokenVerifier({ ...restricted.config, allowedClientApps: [DEV_FOUNDRY_CLIENT_ID] })(await restricted.idp.accessToken(ADELE, { azp: DEV_FOUNDRY_CLIENT_ID.toUpperCase() })))
      .resolves.toMatchObject({ identity: { appId: DEV_FOUNDRY_CLIENT_ID.toUpperCase() } });
  });

  it('is a refusal of its own in the verifier, with the app for the log', async () => {
    const verify = createTokenVerifier({ ...restricted.config, allowedClientApps: [DEV_FOUNDRY_CLIENT_ID] });
    const refused = await verify(await restricted.idp.accessToken(ADELE)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({ code: 'client_app_not_allowed', clientAppId: DEV_PUBLIC_CLIENT_ID });
  });
});
