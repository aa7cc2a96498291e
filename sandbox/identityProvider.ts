// A local Entra stand-in: OIDC discovery, JWKS, access tokens for sample users, over https.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { DEV_CLIENT_SECRET } from '../shared/config/devDefaults.js';
import { checkClientAssertion, JWT_BEARER_ASSERTION_TYPE } from './clientAssertion.js';
import { listenHttps, readBody, sendJson, type RunningServer } from './httpsServer.js';
import type { SampleUser } from './sampleUsers.js';
import { SAMPLE_USERS } from './sampleUsers.js';
import type { TlsMaterial } from './tls.js';

export interface IdentityProviderOptions {
  readonly tls: TlsMaterial;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The server app registration tokens are minted for. */
  readonly clientId: string;
  /** The client secret the OBO grant must present (default: the dev secret). */
  readonly clientSecret?: string;
  /**
   * A federated identity credential on the server app: the OBO grant then also accepts, instead of the secret, a
   * `client_assertion` this provider signed for `subject` (a managed identity) in `tenantId`, for `audience`.
   */
  readonly federatedCredential?: { readonly tenantId: string; readonly subject: string; readonly audience: string };
}

/** A failure the OBO grant answers for one user, as Entra would. */
export type OboFailure = 'consent_required' | 'mfa_required' | 'assertion_refused' | 'server_error' | 'connection_reset';

/** What the OBO grant saw, for tests to assert least privilege and caching. */
export interface OboRequest {
  readonly tenant: string;
  readonly oid: string;
  /** Requested Graph scopes, without the OIDC ones MSAL adds. */
  readonly scopes: readonly string[];
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
  /** The published key set, for stand-ins in the same process (they need no TLS trust to read it). */
  jwks(): { keys: JWK[] };
  /** While false, discovery and JWKS answer 503. */
  available: boolean;
  readonly counts: { discovery: number; jwks: number; obo: number };
  /** Every OBO grant request, in order. */
  readonly oboRequests: OboRequest[];
  /** Failures to answer for a user's OBO grants, by user object id; `times` counts down (undefined: always). */
  readonly oboFailures: Map<string, { failure: OboFailure; times?: number }>;
  /** Lifetime of Graph tokens the OBO grant issues. */
  oboTokenLifetimeSeconds: number;
}

/** The audience of Microsoft Graph tokens. */
export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replaceAll('-', '').slice(0, 27);
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA', alg: 'RS256' } };
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const keys: SigningKey[] = [await newSigningKey()];
  const counts = { discovery: 0, jwks: 0, obo: 0 };
  const oboRequests: OboRequest[] = [];
  const oboFailures = new Map<string, { failure: OboFailure; times?: number }>();
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
    const token = /^\/([\w-]+)\/oauth2\/v2\.0\/token$/.exec(path);
    if (token !== null && request.method === 'POST') {
      counts.obo++;
      return onBehalfOf(token[1] ?? '', new URLSearchParams(await readBody(request)), response);
    }
    sendJson(response, 404, { error: 'not_found' });
  };

  /** Entra's error body: AADSTS code in the description, error_codes, ids, and suberror/claims where Entra sends them. */
  const entraError = (response: ServerResponse, status: number, error: string, code: number, text: string, extra: Record<string, unknown> = {}) => {
    const correlationId = randomUUID();
    const traceId = randomUUID();
    const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
    sendJson(response, status, {
      error,
      error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      ...extra,
    });
  };

  const onBehalfOf = async (tenant: string, form: URLSearchParams, response: ServerResponse) => {
    if (form.get('client_assertion_type') === JWT_BEARER_ASSERTION_TYPE) {
      const federated = options.federatedCredential;
      const refusal = federated === undefined
        ? { code: 700211, text: 'No matching federated identity record found for presented assertion.' }
        : await checkClientAssertion(form.get('client_assertion') ?? '', { issuer: issuer(federated.tenantId), subject: federated.subject, audience: federated.audience }, keys.map((key) => key.publicJwk));
      if (form.get('client_id') !== options.clientId || refusal !== undefined) {
        return entraError(response, 401, 'invalid_client', refusal?.code ?? 700016, refusal?.text ?? 'Application was not found in the directory.');
      }
    } else if (form.get('client_id') !== options.clientId || form.get('client_secret') !== (options.clientSecret ?? DEV_CLIENT_SECRET)) {
      return entraError(response, 401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer' || form.get('requested_token_use') !== 'on_behalf_of') {
      return entraError(response, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    let assertion: JWTPayload;
    try {
      ({ payload: assertion } = await jwtVerify(form.get('assertion') ?? '', createLocalJWKSet({ keys: keys.map((key) => key.publicJwk) }), {
        algorithms: ['RS256'],
        audience: [options.clientId, `api://${options.clientId}`],
      }));
    } catch {
      return entraError(response, 400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
    }
    const tid = String(assertion.tid);
    const oid = String(assertion.oid);
    if (tenant !== tid || assertion.iss !== issuer(tid)) {
      return entraError(response, 400, 'invalid_grant', 50013, 'Assertion audience or issuer does not match the authority.');
    }
    const scopes = (form.get('scope') ?? '').split(' ')
      .map((scope) => scope.replace(/^https:\/\/graph\.microsoft\.com\//i, ''))
      .filter((scope) => scope !== '' && !OIDC_SCOPES.has(scope));
    oboRequests.push({ tenant, oid, scopes });

    const planned = oboFailures.get(oid);
    if (planned !== undefined) {
      if (planned.times !== undefined && --planned.times <= 0) oboFailures.delete(oid);
      switch (planned.failure) {
        case 'consent_required':
          return entraError(response, 400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${options.clientId}'. Send an interactive authorization request for this user and resource.`, { suberror: 'consent_required' });
        case 'mfa_required':
          return entraError(response, 400, 'interaction_required', 50076, 'Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access this resource.', {
            suberror: 'basic_action',
            claims: '{"access_token":{"capolids":{"essential":true,"values":["c1e7a9f0-6b3d-4a2e-9f8c-1d2e3f4a5b6c"]}}}',
          });
        case 'assertion_refused':
          return entraError(response, 400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
        case 'server_error':
          return entraError(response, 500, 'server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.');
        case 'connection_reset':
          response.socket?.destroy();
          return undefined;
      }
    }

    const now = Math.floor(Date.now() / 1000);
    const lifetime = provider.oboTokenLifetimeSeconds;
    const accessToken = await provider.sign({
      aud: GRAPH_AUDIENCE, iss: issuer(tid), iat: now, nbf: now, exp: now + lifetime,
      tid, oid, scp: scopes.join(' '), upn: assertion.preferred_username, name: assertion.name,
      azp: options.clientId, idtyp: 'user', ver: '1.0', uti: randomUUID(),
    });
    const clientInfo = Buffer.from(JSON.stringify({ uid: oid, utid: tid })).toString('base64url');
    sendJson(response, 200, {
      token_type: 'Bearer',
      // Entra answers Graph scopes in their short form.
      scope: scopes.join(' '),
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: accessToken,
      client_info: clientInfo,
    });
  };

  const server = await listenHttps(options.tls, options.port ?? 0, listener);
  url = server.url;

  const provider: IdentityProvider = {
    ...server,
    counts,
    oboRequests,
    oboFailures,
    oboTokenLifetimeSeconds: 3600,
    available: true,
    get currentKey() {
      return keys[keys.length - 1] as SigningKey;
    },
    issuer,
    jwks: () => ({ keys: keys.map((key) => key.publicJwk) }),
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
