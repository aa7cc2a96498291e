// The token endpoint: authorization_code (with PKCE), refresh_token (a new one each time, the old one still valid), and the On-Behalf-Of grant.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JWK, type JWTPayload } from 'jose';
import type { SampleUser } from '../sampleUsers.js';
import { json, type Answer } from './answer.js';
import { checkTenantPath, type AuthorizeContext } from './authorize.js';
import { apiTokenClaims, clientInfo, graphTokenClaims, idTokenClaims } from './claims.js';
import { authenticateClient, type AuthenticatedClient } from './clientAuth.js';
import { EntraError, entraErrorAnswer } from './entraError.js';
import type { RedirectType } from './registrations.js';
import { checkResourceParameter, consentKeys, grantedScopes, OIDC_SCOPES, parseScopes, type RequestedScopes } from './scopes.js';

/** A failure the OBO grant answers for one user, as Entra would. */
export type OboFailure = 'consent_required' | 'mfa_required' | 'assertion_refused' | 'server_error' | 'connection_reset';

/** What the OBO grant saw, for tests to assert least privilege and caching. */
export interface OboRequest {
  readonly tenant: string;
  readonly oid: string;
  /** Requested Graph scopes, without the OIDC ones MSAL adds. */
  readonly scopes: readonly string[];
}

export interface TokenContext extends AuthorizeContext {
  issuer(tenantId: string): string;
  sign(payload: JWTPayload): Promise<string>;
  publicKeys(): JWK[];
  readonly accessTokenLifetimeSeconds: number;
  readonly oboTokenLifetimeSeconds: number;
  readonly refreshTokenLifetimeSeconds: number;
  readonly oboRequests: OboRequest[];
  readonly oboFailures: Map<string, { failure: OboFailure; times?: number }>;
  readonly counts: { obo: number; token: number };
}

export interface TokenRequest {
  readonly tenantPath: string;
  readonly form: URLSearchParams;
  readonly authorization: string | undefined;
  /** The browser origin of a cross-origin request; only single-page apps may redeem that way. */
  readonly origin: string | undefined;
}

/** `reset`: the connection is to be dropped unanswered. */
export type TokenAnswer = Answer | 'reset';

const SPA_REFRESH_LIFETIME_SECONDS = 24 * 3600;
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
// MSAL sends the short name; RFC 8628 names the long one. Entra takes both.
const DEVICE_CODE_GRANTS: ReadonlySet<string> = new Set(['device_code', 'urn:ietf:params:oauth:grant-type:device_code']);

function missing(name: string): EntraError {
  return new EntraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
}

function sameTenantPath(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Entra lets only single-page-app redirect URIs redeem from a browser, and those only from one. */
function checkOrigin(origin: string | undefined, redirectType: RedirectType): void {
  if (origin !== undefined && redirectType !== 'spa') {
    throw new EntraError(400, 'invalid_request', 9002326, `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`);
  }
  if (origin === undefined && redirectType === 'spa') {
    throw new EntraError(400, 'invalid_request', 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
  }
}

function pkceMatches(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  const computed = method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Issue {
  readonly client: AuthenticatedClient;
  readonly user: SampleUser;
  readonly scopes: RequestedScopes;
  readonly tenantPath: string;
  readonly redirectType: RedirectType;
  readonly sessionId: string;
  /** The code the tokens descend from (refresh tokens inherit it). */
  readonly family: string;
  readonly nonce?: string;
  readonly wantClientInfo: boolean;
}

async function issueTokens(ctx: TokenContext, issue: Issue): Promise<Record<string, unknown>> {
  const now = Math.floor(ctx.now() / 1000);
  const lifetime = ctx.accessTokenLifetimeSeconds;
  const server = ctx.registrations.server;
  const issuer = ctx.issuer(issue.user.tid);
  const claims = issue.scopes.resource === 'server'
    ? apiTokenClaims(issue.user, { issuer, audience: server.clientId, clientId: issue.client.app.clientId, clientAuth: issue.client.clientAuth, scopes: issue.scopes.resourceScopes, sid: issue.sessionId, now, lifetimeSeconds: lifetime })
    : graphTokenClaims(issue.user, { issuer, clientId: issue.client.app.clientId, scopes: grantedScopes(issue.scopes, server), now, lifetimeSeconds: lifetime });
  const answer: Record<string, unknown> = {
    token_type: 'Bearer',
    scope: grantedScopes(issue.scopes, server).join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: await ctx.sign(claims),
  };
  if (issue.scopes.oidc.includes('offline_access')) {
    const refreshLifetime = issue.redirectType === 'spa' ? SPA_REFRESH_LIFETIME_SECONDS : ctx.refreshTokenLifetimeSeconds;
    answer['refresh_token'] = ctx.store.issueRefreshToken({
      clientId: issue.client.app.clientId,
      user: issue.user,
      tenantPath: issue.tenantPath,
      scopes: issue.scopes,
      redirectType: issue.redirectType,
      sessionId: issue.sessionId,
      family: issue.family,
      expiresAt: ctx.now() + refreshLifetime * 1000,
    });
    if (issue.redirectType === 'spa') answer['refresh_token_expires_in'] = refreshLifetime;
  }
  if (issue.scopes.oidc.includes('openid')) {
    answer['id_token'] = await ctx.sign(idTokenClaims(issue.user, {
      issuer,
      clientId: issue.client.app.clientId,
      now,
      lifetimeSeconds: 3600,
      sid: issue.sessionId,
      email: issue.scopes.oidc.includes('email'),
      ...(issue.nonce !== undefined && { nonce: issue.nonce }),
    }));
  }
  if (issue.wantClientInfo) answer['client_info'] = clientInfo(issue.user);
  return answer;
}

async function authorizationCodeGrant(ctx: TokenContext, request: TokenRequest, client: AuthenticatedClient): Promise<Answer> {
  const { form } = request;
  const codeValue = form.get('code');
  if (codeValue === null || codeValue === '') throw missing('code');
  const code = ctx.store.code(codeValue);
  if (code === undefined || code.request.clientId !== client.app.clientId) {
    throw new EntraError(400, 'invalid_grant', 70000, "The provided value for the 'code' parameter is not valid.");
  }
  if (code.redeemed) {
    ctx.store.revokeFamily(code.family);
    throw new EntraError(400, 'invalid_grant', 54005, 'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.');
  }
  // One attempt per code: a wrong verifier or redirect URI burns it, so neither can be guessed.
  code.redeemed = true;
  if (code.expiresAt <= ctx.now()) {
    throw new EntraError(400, 'invalid_grant', 70008, 'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.');
  }
  if (!sameTenantPath(code.request.tenantPath, request.tenantPath)) {
    throw new EntraError(400, 'invalid_grant', 700005, 'Provided Authorization Code is intended to use against other tenant, thus rejected.');
  }
  const redirectUri = form.get('redirect_uri');
  if (redirectUri !== code.request.redirectUri) {
    throw new EntraError(400, 'invalid_grant', 500112, `The reply address '${redirectUri ?? ''}' does not match the reply address '${code.request.redirectUri}' provided when requesting Authorization code.`);
  }
  const verifier = form.get('code_verifier');
  if (code.request.codeChallenge !== undefined && code.request.codeChallengeMethod !== undefined) {
    if (verifier === null || !pkceMatches(verifier, code.request.codeChallenge, code.request.codeChallengeMethod)) {
      throw new EntraError(400, 'invalid_grant', 501481, 'The Code_Verifier does not match the code_challenge supplied in the authorization request.');
    }
  } else if (verifier !== null) {
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is refused, or an attacker who injects a
    // code obtained without PKCE would get it past a client that uses PKCE (a PKCE downgrade).
    throw new EntraError(400, 'invalid_grant', 501481, 'The Code_Verifier was supplied, but no code_challenge was supplied in the authorization request.');
  }
  checkOrigin(request.origin, code.request.redirectType);
  checkResourceParameter(form.get('resource'), code.request.scopes, ctx.registrations.server);
  return json(200, await issueTokens(ctx, {
    client,
    user: code.user,
    scopes: code.request.scopes,
    tenantPath: code.request.tenantPath,
    redirectType: code.request.redirectType,
    sessionId: code.sessionId,
    family: code.family,
    wantClientInfo: form.get('client_info') === '1',
    ...(code.request.nonce !== undefined && { nonce: code.request.nonce }),
  }));
}

async function refreshTokenGrant(ctx: TokenContext, request: TokenRequest, client: AuthenticatedClient): Promise<Answer> {
  const { form } = request;
  const token = form.get('refresh_token');
  if (token === null || token === '') throw missing('refresh_token');
  const grant = ctx.store.refreshGrant(token);
  if (grant === undefined) throw new EntraError(400, 'invalid_grant', 9002313, 'Invalid request. Request is malformed or invalid.');
  if (grant.clientId !== client.app.clientId) {
    throw new EntraError(400, 'invalid_grant', 70000, 'Provided grant is invalid or malformed. The refresh token was issued to a different client.');
  }
  if (grant.expiresAt <= ctx.now()) {
    throw new EntraError(400, 'invalid_grant', 700082, 'The refresh token has expired due to inactivity. The token was issued earlier and was inactive for too long.');
  }
  if (ctx.store.isRevoked(grant.user, grant.serial) || ctx.store.isFamilyRevoked(grant.family)) {
    throw new EntraError(400, 'invalid_grant', 50173, 'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.');
  }
  if (!sameTenantPath(grant.tenantPath, request.tenantPath) && request.tenantPath !== grant.user.tid) {
    throw new EntraError(400, 'invalid_grant', 700005, 'Provided grant is intended to use against other tenant, thus rejected.');
  }
  const scopeParam = form.get('scope');
  const scopes = scopeParam === null ? grant.scopes : parseScopes(scopeParam, ctx.registrations.server);
  checkResourceParameter(form.get('resource'), scopes, ctx.registrations.server);
  // The grant goes as far as the user's consent does today, pre-authorization included.
  const server = ctx.registrations.server;
  const preAuthorized = scopes.resource === 'server' && server.preAuthorizedClients.includes(client.app.clientId);
  const wanted = consentKeys(scopes, server).filter((key) => !OIDC_SCOPES.has(key) && !(preAuthorized && key.startsWith(`${server.clientId}/`)));
  if (ctx.store.missingConsent(grant.user, client.app.clientId, wanted).length > 0) {
    throw new EntraError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${client.app.clientId}'. Send an interactive authorization request for this user and resource.`, { suberror: 'consent_required' });
  }
  checkOrigin(request.origin, grant.redirectType);
  return json(200, await issueTokens(ctx, {
    client,
    user: grant.user,
    // A refresh keeps offline access (and the id token) of the original grant.
    scopes: { ...scopes, oidc: [...new Set([...grant.scopes.oidc, ...scopes.oidc])] },
    tenantPath: grant.tenantPath,
    redirectType: grant.redirectType,
    sessionId: grant.sessionId,
    family: grant.family,
    wantClientInfo: form.get('client_info') === '1',
  }));
}

/** The device polls: pending until the user has signed in on the verification page, then the tokens, once. */
async function deviceCodeGrant(ctx: TokenContext, request: TokenRequest, client: AuthenticatedClient): Promise<Answer> {
  const value = request.form.get('device_code');
  if (value === null || value === '') throw missing('device_code');
  const device = ctx.store.device(value);
  if (device === undefined || device.clientId !== client.app.clientId) {
    throw new EntraError(400, 'bad_verification_code', 70000, "The provided value for the input parameter 'device_code' is not valid.");
  }
  if (!sameTenantPath(device.tenantPath, request.tenantPath)) {
    throw new EntraError(400, 'invalid_grant', 700005, 'Provided device code is intended to use against other tenant, thus rejected.');
  }
  if (device.expiresAt <= ctx.now()) {
    ctx.store.endDevice(device);
    throw new EntraError(400, 'expired_token', 70019, 'Verification code expired.');
  }
  if (device.status === 'declined') {
    ctx.store.endDevice(device);
    throw new EntraError(400, 'authorization_declined', 65004, 'User declined to consent to access the app.');
  }
  if (device.status === 'pending' || device.user === undefined || device.sessionId === undefined) {
    throw new EntraError(400, 'authorization_pending', 70016, 'OAuth 2.0 device flow error. Authorization is pending. Continue polling.');
  }
  ctx.store.endDevice(device);
  return json(200, await issueTokens(ctx, {
    client,
    user: device.user,
    scopes: device.scopes,
    tenantPath: device.tenantPath,
    redirectType: 'publicClient',
    sessionId: device.sessionId,
    family: device.deviceCode,
    wantClientInfo: request.form.get('client_info') === '1',
  }));
}

async function onBehalfOfGrant(ctx: TokenContext, request: TokenRequest, client: AuthenticatedClient): Promise<TokenAnswer> {
  const { form, tenantPath } = request;
  if (form.get('requested_token_use') !== 'on_behalf_of') throw missing('requested_token_use');
  const server = ctx.registrations.server;
  let assertion: JWTPayload;
  try {
    ({ payload: assertion } = await jwtVerify(form.get('assertion') ?? '', createLocalJWKSet({ keys: ctx.publicKeys() }), {
      algorithms: ['RS256'],
      // The assertion must be for the app asking to exchange it.
      audience: [client.app.clientId, `api://${client.app.clientId}`],
    }));
  } catch {
    throw new EntraError(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
  }
  const tid = String(assertion.tid);
  const oid = String(assertion.oid);
  if (client.app.clientId !== server.clientId || tenantPath !== tid || assertion.iss !== ctx.issuer(tid)) {
    throw new EntraError(400, 'invalid_grant', 50013, 'Assertion audience or issuer does not match the authority.');
  }
  const scopes = (form.get('scope') ?? '').split(' ')
    .map((scope) => scope.replace(/^https:\/\/graph\.microsoft\.com\//i, ''))
    .filter((scope) => scope !== '' && !OIDC_SCOPES.has(scope));
  ctx.oboRequests.push({ tenant: tenantPath, oid, scopes });

  const planned = ctx.oboFailures.get(oid);
  if (planned !== undefined) {
    if (planned.times !== undefined && --planned.times <= 0) ctx.oboFailures.delete(oid);
    switch (planned.failure) {
      case 'consent_required':
        throw new EntraError(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${server.clientId}'. Send an interactive authorization request for this user and resource.`, { suberror: 'consent_required' });
      case 'mfa_required':
        throw new EntraError(400, 'interaction_required', 50076, 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this resource.', {
          suberror: 'basic_action',
          claims: '{"access_token":{"capolids":{"essential":true,"values":["c1e7a9f0-6b3d-4a2e-9f8c-1d2e3f4a5b6c"]}}}',
        });
      case 'assertion_refused':
        throw new EntraError(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
      case 'server_error':
        throw new EntraError(500, 'server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.');
      case 'connection_reset':
        return 'reset';
    }
  }

  const now = Math.floor(ctx.now() / 1000);
  const lifetime = ctx.oboTokenLifetimeSeconds;
  const user = { tid, oid, upn: String(assertion.preferred_username), name: String(assertion.name) };
  const accessToken = await ctx.sign(graphTokenClaims(user, { issuer: ctx.issuer(tid), clientId: server.clientId, scopes, now, lifetimeSeconds: lifetime }));
  return json(200, {
    token_type: 'Bearer',
    // Entra answers Graph scopes in their short form.
    scope: scopes.join(' '),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    client_info: clientInfo(user),
  });
}

/** POST /{tenant}/oauth2/v2.0/token */
export async function token(ctx: TokenContext, request: TokenRequest): Promise<TokenAnswer> {
  const grantType = request.form.get('grant_type');
  if (grantType === OBO_GRANT) ctx.counts.obo++;
  else ctx.counts.token++;
  // The error answer is readable cross-origin too, so a browser client can show why.
  const cors: Record<string, string> = request.origin === undefined ? {} : { 'access-control-allow-origin': request.origin, vary: 'Origin' };
  try {
    checkTenantPath(request.tenantPath, ctx.tenants);
    if (grantType === null || grantType === '') throw missing('grant_type');
    const client = await authenticateClient(request.authorization, request.form, ctx.registrations, request.tenantPath, ctx.publicKeys());
    let answer: TokenAnswer;
    switch (grantType) {
      case 'authorization_code':
        answer = await authorizationCodeGrant(ctx, request, client);
        break;
      case 'refresh_token':
        answer = await refreshTokenGrant(ctx, request, client);
        break;
      case OBO_GRANT:
        answer = await onBehalfOfGrant(ctx, request, client);
        break;
      default:
        if (DEVICE_CODE_GRANTS.has(grantType)) {
          answer = await deviceCodeGrant(ctx, request, client);
          break;
        }
        throw new EntraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'.`);
    }
    return answer === 'reset' ? answer : { ...answer, headers: { ...answer.headers, ...cors } };
  } catch (error) {
    if (error instanceof EntraError) return entraErrorAnswer(error, cors, ctx.now());
    throw error;
  }
}
