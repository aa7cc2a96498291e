// The claims of the tokens the local identity provider mints, shaped like Entra's v2 (our API) and v1 (Graph) tokens.
import { createHash, randomUUID } from 'node:crypto';
import type { SampleUser } from '../sampleUsers.js';

/** The audience of Microsoft Graph tokens. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface TokenTimes {
  /** Seconds since the epoch. */
  readonly now: number;
  readonly lifetimeSeconds: number;
}

export interface ApiTokenOptions extends TokenTimes {
  readonly issuer: string;
  readonly audience: string;
  readonly clientId: string;
  /** `1`: the client authenticated with a secret; `0`: a public client. */
  readonly clientAuth: '0' | '1' | '2';
  readonly scopes: readonly string[];
  readonly sid?: string;
}

/** A v2 access token for our API, as Entra mints it for `user` signed in to `clientId`; `roles` only when the user holds any. */
export function apiTokenClaims(user: SampleUser, options: ApiTokenOptions): Record<string, unknown> {
  return {
    aud: options.audience,
    iss: options.issuer,
    iat: options.now,
    nbf: options.now,
    exp: options.now + options.lifetimeSeconds,
    aio: 'local',
    azp: options.clientId,
    azpacr: options.clientAuth,
    idtyp: 'user',
    name: user.name,
    oid: user.oid,
    preferred_username: user.upn,
    rh: 'local',
    scp: options.scopes.join(' '),
    sid: options.sid ?? randomUUID(),
    sub: pairwiseSubject(user, options.audience),
    tid: user.tid,
    uti: randomUUID(),
    jti: randomUUID(),
    ver: '2.0',
    ...(user.roles !== undefined && user.roles.length > 0 && { roles: [...user.roles] }),
  };
}

export interface GraphTokenOptions extends TokenTimes {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
}

/** A Graph token (Entra mints them as v1 tokens), as the OBO grant or a sign-in for Graph scopes returns it. */
export function graphTokenClaims(user: Pick<SampleUser, 'tid' | 'oid' | 'upn' | 'name'>, options: GraphTokenOptions): Record<string, unknown> {
  return {
    aud: GRAPH_AUDIENCE,
    iss: options.issuer,
    iat: options.now,
    nbf: options.now,
    exp: options.now + options.lifetimeSeconds,
    tid: user.tid,
    oid: user.oid,
    scp: options.scopes.join(' '),
    upn: user.upn,
    name: user.name,
    azp: options.clientId,
    idtyp: 'user',
    ver: '1.0',
    uti: randomUUID(),
  };
}

export interface IdTokenOptions extends TokenTimes {
  readonly issuer: string;
  readonly clientId: string;
  readonly nonce?: string;
  readonly sid?: string;
  readonly email: boolean;
}

/** An OpenID Connect id token for `clientId`. */
export function idTokenClaims(user: SampleUser, options: IdTokenOptions): Record<string, unknown> {
  return {
    aud: options.clientId,
    iss: options.issuer,
    iat: options.now,
    nbf: options.now,
    exp: options.now + 3600,
    aio: 'local',
    name: user.name,
    oid: user.oid,
    preferred_username: user.upn,
    rh: 'local',
    sub: pairwiseSubject(user, options.clientId),
    tid: user.tid,
    uti: randomUUID(),
    ver: '2.0',
    ...(options.nonce !== undefined && { nonce: options.nonce }),
    ...(options.sid !== undefined && { sid: options.sid }),
    ...(options.email && { email: user.upn }),
  };
}

/** Entra's `sub` differs per application, so two apps cannot correlate a user by it. */
function pairwiseSubject(user: SampleUser, appId: string): string {
  return createHash('sha256').update(`${user.tid}:${user.oid}:${appId}`).digest('base64url').slice(0, 43);
}

/** MSAL's `client_info`: who the tokens belong to, base64url JSON. */
export function clientInfo(user: Pick<SampleUser, 'tid' | 'oid'>): string {
  return Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tid })).toString('base64url');
}
