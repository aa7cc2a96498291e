// Verifies an Entra v2 access token for our API and turns it into the caller's Identity.
import { createHash } from 'node:crypto';
import { decodeJwt, errors, jwtVerify, type JWTPayload } from 'jose';
import { AuthError } from './authError.js';
import type { Identity, VerifiedCaller } from './identity.js';
import { signingKeysFor } from './signingKeys.js';
import { createExpiringCache } from './expiringCache.js';
import { noteTokenCacheHit, traceTokenVerification } from '../telemetry/spans/tokenVerification.js';

export interface TokenVerifierOptions {
  readonly authorityHost: string;
  /** Tenant of the app registration (GUID or `organizations`): where the signing keys are discovered. */
  readonly tenantId: string;
  readonly allowedTenants: readonly string[] | '*';
  readonly audiences: readonly string[];
  readonly requiredScope: string;
  /** Client app ids (`azp`, lower case) allowed to call; undefined: any. */
  readonly allowedClientApps?: readonly string[] | undefined;
  /** Least time between JWKS refetches caused by unknown `kid`s. */
  readonly jwksCooldownMs?: number;
}

export type VerifyAccessToken = (token: string) => Promise<VerifiedCaller>;

const CLOCK_SKEW_SECONDS = 300;
/** Longest a verified token is trusted without checking its signature again (bounds a retired key's reach). */
const VERIFIED_MAX_AGE_MS = 5 * 60_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Entra caps an app role's value at 120 characters; no real user holds a hundred roles of one app. */
const MAX_ROLES = 100;
const MAX_ROLE_CHARS = 120;

/**
 * Builds `verifyAccessToken(token)`. It throws `AuthError` with code `token_malformed`,
 * `algorithm_not_allowed`, `key_unknown`, `signature_invalid`, `token_expired`,
 * `token_not_yet_valid`, `issuer_invalid`, `tenant_not_allowed`, `audience_invalid`,
 * `app_only_caller`, `scope_missing`, `client_app_not_allowed` or `jwks_unavailable`.
 */
export function createTokenVerifier(options: TokenVerifierOptions): VerifyAccessToken {
  const keys = signingKeysFor({
    authorityHost: options.authorityHost,
    tenant: options.tenantId,
    ...(options.jwksCooldownMs !== undefined && { cooldownMs: options.jwksCooldownMs }),
  });
  const allowed = options.allowedTenants === '*' ? '*' : new Set(options.allowedTenants);
  const allowedApps = options.allowedClientApps === undefined ? undefined : new Set(options.allowedClientApps);
  // Agents resend one token for its whole life: an RSA check per request would be waste. Keyed by the
  // whole token itself (which holds tid and oid), in memory for the request anyway: a hash would cost
  // more than the lookup, and no claim alone could make two callers' entries collide.
  const verified = createExpiringCache<VerifiedCaller>(10_000);

  return (token) => traceTokenVerification(async () => {
    const now = Date.now();
    const known = verified.get(token, now);
    noteTokenCacheHit(known !== undefined);
    if (known !== undefined) return known;
    const caller = await verify(token);
    // Never past what verification itself would accept: expiry plus the allowed skew.
    verified.set(token, caller, Math.min(now + VERIFIED_MAX_AGE_MS, (caller.expiresAt + CLOCK_SKEW_SECONDS) * 1000), now);
    return caller;
  });

  async function verify(token: string): Promise<VerifiedCaller> {
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch (cause) {
      throw new AuthError('token_malformed', 'The bearer token is not a JWT', { cause });
    }
    const context = {
      tenantId: typeof unverified.tid === 'string' ? unverified.tid : undefined,
      jtiHash: sha256(typeof unverified.jti === 'string' ? unverified.jti : token),
    };

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        audience: [...options.audiences],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'iss', 'tid'],
      }));
    } catch (cause) {
      throw joseToAuthError(cause, context);
    }

    const tid = claim(payload, 'tid');
    const oid = claim(payload, 'oid');
    if (tid === undefined || !GUID.test(tid)) {
      throw new AuthError('token_malformed', 'The token has no tenant id (tid)', context);
    }
    const expectedIssuer = `${options.authorityHost}/${tid}/v2.0`;
    if (payload.iss !== expectedIssuer) {
      const hint = payload.iss?.startsWith('https://sts.windows.net/')
        ? '; this is a v1.0 token: set requestedAccessTokenVersion to 2 on the API app registration'
        : '';
      throw new AuthError('issuer_invalid', `The token issuer is not ${expectedIssuer}${hint}`, context);
    }
    if (allowed !== '*' && !allowed.has(tid.toLowerCase())) {
      throw new AuthError('tenant_not_allowed', 'Users of this tenant are not allowed to use this server', context);
    }
    const scp = claim(payload, 'scp');
    if (payload.idtyp === 'app' || scp === undefined) {
      throw new AuthError('app_only_caller', 'The token has no signed-in user (app-only token); this server acts only on behalf of a user', context);
    }
    if (oid === undefined || !GUID.test(oid)) {
      throw new AuthError('token_malformed', 'The token has no user object id (oid)', context);
    }
    const scopes = scp.split(' ').filter((scope) => scope.length > 0);
    if (!scopes.includes(options.requiredScope)) {
      throw new AuthError('scope_missing', `The token lacks the ${options.requiredScope} scope`, context);
    }

    const appId = claim(payload, 'azp') ?? claim(payload, 'appid');
    // Last, so only a token valid in every other way is judged on its app, and told so precisely.
    if (allowedApps !== undefined && (appId === undefined || !allowedApps.has(appId.toLowerCase()))) {
      throw new AuthError('client_app_not_allowed', `This server does not accept calls from client app ${appId === undefined ? '(none named)' : appId}; use an app your administrator allows`, { ...context, clientAppId: appId });
    }
    const roles = rolesOf(payload);
    if (roles === undefined) {
      throw new AuthError('token_malformed', `The token's roles claim is not a list of at most ${MAX_ROLES} role names of up to ${MAX_ROLE_CHARS} characters`, context);
    }

    const identity: Identity = {
      tid: tid.toLowerCase(),
      oid: oid.toLowerCase(),
      upn: claim(payload, 'preferred_username') ?? claim(payload, 'upn'),
      name: claim(payload, 'name'),
      scopes,
      appId,
      roles,
    };
    // Hashed once per verification, not per request: the verified caller is cached with its hash.
    return { identity, assertion: token, expiresAt: payload.exp ?? 0, tokenHash: createHash('sha256').update(token).digest('base64url') };
  }
}

function claim(payload: JWTPayload, name: string): string | undefined {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The `roles` claim: absent is none; anything but a bounded list of non-empty strings is undefined. */
function rolesOf(payload: JWTPayload): readonly string[] | undefined {
  const value = payload['roles'];
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > MAX_ROLES) return undefined;
  const roles: string[] = [];
  for (const role of value as unknown[]) {
    if (typeof role !== 'string' || role.length === 0 || role.length > MAX_ROLE_CHARS) return undefined;
    roles.push(role);
  }
  return [...new Set(roles)];
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 22);
}

function joseToAuthError(cause: unknown, context: { tenantId: string | undefined; jtiHash: string }): AuthError {
  const options = { cause, ...context };
  if (cause instanceof AuthError) {
    return new AuthError(cause.code, cause.message, { ...options, cause: cause.cause });
  }
  if (cause instanceof errors.JWTExpired) return new AuthError('token_expired', 'The token has expired; get a new one', options);
  if (cause instanceof errors.JWTClaimValidationFailed) {
    switch (cause.claim) {
      case 'nbf':
        return new AuthError('token_not_yet_valid', 'The token is not valid yet (nbf is in the future)', options);
      case 'aud':
        return new AuthError('audience_invalid', 'The token was issued for another audience; request a token for this server\'s API', options);
      default:
        return new AuthError('token_malformed', `The token's ${cause.claim} claim is missing or invalid`, options);
    }
  }
  if (cause instanceof errors.JOSEAlgNotAllowed) return new AuthError('algorithm_not_allowed', 'The token must be signed with RS256', options);
  if (cause instanceof errors.JWSSignatureVerificationFailed) return new AuthError('signature_invalid', 'The token signature is not valid', options);
  return new AuthError('token_malformed', 'The bearer token is not a valid JWS', options);
}
