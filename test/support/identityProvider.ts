// A local Entra stand-in: OIDC discovery, JWKS, access tokens for sample users, over https.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { listenHttps, sendJson, type RunningServer } from './httpsServer.js';
import type { SampleUser } from './sampleUsers.js';
import { SAMPLE_USERS } from './sampleUsers.js';
import type { TlsMaterial } from './tls.js';

export interface IdentityProviderOptions {
  readonly tls: TlsMaterial;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The server app registration tokens are minted for. */
  readonly clientId: string;
  /** Extra handler for paths this module does not serve (the OBO grant); return true when handled. */
  readonly extend?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;
}

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

/** Claims to add to, or (as undefined) remove from, a minted access token. */
export type TokenOverrides = Readonly<Record<string, unknown>>;

export interface IdentityProvider extends RunningServer {
  issuer(tenantId: string): string;
  /** A v2 access token for our API, as Entra would mint it for `user`. */
  accessToken(user: SampleUser, overrides?: TokenOverrides, options?: { lifetimeSeconds?: number }): Promise<string>;
  /** Signs any payload with the current key (or a given one) as RS256. */
  sign(payload: JWTPayload, options?: { kid?: string; key?: CryptoKey }): Promise<string>;
  /** Publishes a new signing key and signs with it from now on; the old one stays published. */
  rotateKeys(): Promise<SigningKey>;
  readonly currentKey: SigningKey;
  /** While false, discovery and JWKS answer 503. */
  available: boolean;
  readonly counts: { discovery: number; jwks: number };
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replaceAll('-', '').slice(0, 27);
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA', alg: 'RS256' } };
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const keys: SigningKey[] = [await newSigningKey()];
  const counts = { discovery: 0, jwks: 0 };
  let url = '';
  const issuer = (tenantId: string) => `${url}/${tenantId}/v2.0`;

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response).catch(() => sendJson(response, 500, { error: 'server_error' }));
  };
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const requestUrl = new URL(request.url ?? '/', url);
    const path = requestUrl.pathname;
    const discovery = /^\/([\w-]+)\/v2\.0\/\.well-known\/openid-configuration$/.exec(path);
    if (discovery !== null) {
      counts.discovery++;
      if (!provider.available) return sendJson(response, 503, { error: 'temporarily_unavailable' });
      const tenant = discovery[1] ?? '';
      return sendJson(response, 200, {
        issuer: tenant === 'organizations' || tenant === 'common' ? `${url}/{tenantid}/v2.0` : issuer(tenant),
        authorization_endpoint: `${url}/${tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${url}/${tenant}/oauth2/v2.0/token`,
        jwks_uri: `${url}/${tenant}/discovery/v2.0/keys`,
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'localhost',
      });
    }
    if (/^\/[\w-]+\/discovery\/v2\.0\/keys$/.test(path)) {
      counts.jwks++;
      if (!provider.available) return sendJson(response, 503, { error: 'temporarily_unavailable' });
      return sendJson(response, 200, { keys: keys.map((key) => key.publicJwk) });
    }
    if (path === '/dev/token' && request.method === 'GET') {
      const key = requestUrl.searchParams.get('user') ?? SAMPLE_USERS[0]?.key;
      const user = SAMPLE_USERS.find((candidate) => candidate.key === key);
      if (user === undefined) return sendJson(response, 404, { error: 'unknown_user', users: SAMPLE_USERS.map((u) => u.key) });
      return sendJson(response, 200, { access_token: await provider.accessToken(user), token_type: 'Bearer', user: user.upn });
    }
    if (options.extend !== undefined && (await options.extend(request, response, path))) return;
    sendJson(response, 404, { error: 'not_found' });
  };

  const server = await listenHttps(options.tls, options.port ?? 0, listener);
  url = server.url;

  const provider: IdentityProvider = {
    ...server,
    counts,
    available: true,
    get currentKey() {
      return keys[keys.length - 1] as SigningKey;
    },
    issuer,
    async sign(payload, signOptions = {}) {
      const key = provider.currentKey;
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: signOptions.kid ?? key.kid })
        .sign(signOptions.key ?? key.privateKey);
    },
    async accessToken(user, overrides = {}, tokenOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        aud: options.clientId,
        iss: issuer(user.tid),
        iat: now,
        nbf: now,
        exp: now + (tokenOptions.lifetimeSeconds ?? 3600),
        aio: 'local',
        azp: 'b6f1c2d3-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
        azpacr: '0',
        idtyp: 'user',
        name: user.name,
        oid: user.oid,
        preferred_username: user.upn,
        rh: 'local',
        scp: 'access_as_user',
        sid: randomUUID(),
        sub: `sub-${user.oid}`,
        tid: user.tid,
        uti: randomUUID(),
        jti: randomUUID(),
        ver: '2.0',
      };
      for (const [name, value] of Object.entries(overrides)) {
        if (value === undefined) delete claims[name];
        else claims[name] = value;
      }
      return provider.sign(claims);
    },
    async rotateKeys() {
      const key = await newSigningKey();
      keys.push(key);
      return key;
    },
  };
  return provider;
}
