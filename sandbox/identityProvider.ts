// A local Entra stand-in over https: OIDC discovery, JWKS, sign-in and consent pages, and the authorization code, refresh and OBO grants.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../shared/config/devDefaults.js';
import { listenHttps, sendJson, type RunningServer } from './httpsServer.js';
import { agentIdentityClaims, DEV_AGENT_IDENTITY, FOUNDRY_AUDIENCE, isFoundryResource } from './identity/agentIdentity.js';
import { html, json, writeAnswer, type Answer } from './identity/answer.js';
import { authorize, BROWSER_COOKIE, consent, login, SESSION_COOKIE, type AuthorizeContext } from './identity/authorize.js';
import { apiTokenClaims, GRAPH_AUDIENCE } from './identity/claims.js';
import { deviceCodeRequest, deviceLogin, deviceLoginPage, type DeviceCodeContext } from './identity/deviceCode.js';
import { openIdConfiguration } from './identity/discovery.js';
import { entraErrorAnswer, EntraError } from './identity/entraError.js';
import { GrantStore } from './identity/grantStore.js';
import { homePage, revokePage } from './identity/pages.js';
import { describeRedirectUri, DEV_PUBLIC_CLIENT_ID, devRegistrations, type Registrations } from './identity/registrations.js';
import { token, type OboFailure, type OboRequest, type TokenContext } from './identity/tokenEndpoint.js';
import type { SampleUser } from './sampleUsers.js';
import { SAMPLE_USERS } from './sampleUsers.js';
import type { TlsMaterial } from './tls.js';

export { GRAPH_AUDIENCE };
export type { OboFailure, OboRequest };

export interface IdentityProviderOptions {
  readonly tls: TlsMaterial;
  /** 0 picks a free port. */
  readonly port?: number;
  /** The server app registration tokens are minted for. */
  readonly clientId: string;
  /** The client secret the OBO grant must present (default: the dev secret). */
  readonly clientSecret?: string;
  /** App ID URIs of the server besides `api://<id>`, such as the local MCP endpoint. */
  readonly serverIdentifierUris?: readonly string[];
  /** The dev Foundry client's secret (default: a new one per start). */
  readonly foundryClientSecret?: string;
  /** Redirect URIs of the dev Foundry client besides the rehearsal's own. */
  readonly foundryRedirectUris?: readonly string[];
  /** Lifetime of access tokens the sign-in and refresh grants issue (default 3600). */
  readonly accessTokenLifetimeSeconds?: number;
  /** Seconds a device waits between polls of the device code grant (default 5, as Entra answers). */
  readonly deviceCodeIntervalSeconds?: number;
  /** Lifetime of refresh tokens (default 90 days; single-page apps get 24 hours, as with Entra). */
  readonly refreshTokenLifetimeSeconds?: number;
  /** The clock, in ms since the epoch (tests move it to expire codes and refresh tokens). */
  readonly now?: () => number;
  /**
   * A federated identity credential on the server app: the OBO grant then also accepts, instead of the secret, a
   * `client_assertion` this provider signed for `subject` (a managed identity) in `tenantId`, for `audience`.
   */
  readonly federatedCredential?: { readonly tenantId: string; readonly subject: string; readonly audience: string };
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
  /** A v2 access token for our API, as Entra would mint it for `user` (client: the dev public client). */
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
  /** `token` counts token requests of the other grants (authorization code, refresh). */
  readonly counts: { discovery: number; jwks: number; obo: number; authorize: number; token: number };
  /** Every OBO grant request, in order. */
  readonly oboRequests: OboRequest[];
  /** Failures to answer for a user's OBO grants, by user object id; `times` counts down (undefined: always). */
  readonly oboFailures: Map<string, { failure: OboFailure; times?: number }>;
  /** Lifetime of Graph tokens the OBO grant issues. */
  oboTokenLifetimeSeconds: number;
  /** Lifetime of access tokens the sign-in and refresh grants issue. */
  accessTokenLifetimeSeconds: number;
  /** Seconds a device waits between polls of the device code grant. */
  deviceCodeIntervalSeconds: number;
  /** The dev app registrations: server, Foundry client (with its secret), public client. */
  readonly registrations: Registrations;
  /** Removes the user's consents and voids their refresh tokens and sign-in sessions. */
  revoke(user: SampleUser): { consents: number; refreshTokens: number };
}

export async function newSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID().replaceAll('-', '').slice(0, 27);
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', kty: 'RSA', alg: 'RS256' } };
}

// Forms here are a flow id and a few fields; anything larger is not a client of ours.
const MAX_FORM_BYTES = 64 * 1024;

class BodyTooLarge extends Error {}

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function cookie(request: IncomingMessage, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** Adds Set-Cookie lines to an answer. */
function withCookies(answer: Answer, cookies: readonly string[]): Answer {
  if (cookies.length === 0) return answer;
  return { ...answer, headers: { ...answer.headers, 'set-cookie': cookies } };
}

/** The browser's id, or a new one and the cookie that gives it one. */
function browserOf(request: IncomingMessage): { id: string; setCookie: string[] } {
  const known = cookie(request, BROWSER_COOKIE);
  if (known !== undefined && /^[\w-]{20,64}$/.test(known)) return { id: known, setCookie: [] };
  const id = randomBytes(24).toString('base64url');
  return { id, setCookie: [`${BROWSER_COOKIE}=${id}; Path=/; Secure; HttpOnly; SameSite=Lax`] };
}

const DISCOVERY = /^\/([\w.-]+)\/v2\.0\/\.well-known\/openid-configuration$/;
const KEYS = /^\/([\w.-]+)\/discovery\/v2\.0\/keys$/;
const AUTHORIZE = /^\/([\w.-]+)\/oauth2\/v2\.0\/authorize$/;
const TOKEN = /^\/([\w.-]+)\/oauth2\/v2\.0\/token$/;
const DEVICE_CODE = /^\/([\w.-]+)\/oauth2\/v2\.0\/devicecode$/;
const ANY_ORIGIN = { 'access-control-allow-origin': '*' };

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const keys: SigningKey[] = [await newSigningKey()];
  const now = options.now ?? Date.now;
  const counts = { discovery: 0, jwks: 0, obo: 0, authorize: 0, token: 0 };
  const oboRequests: OboRequest[] = [];
  const oboFailures = new Map<string, { failure: OboFailure; times?: number }>();
  let url = '';
  const issuer = (tenantId: string) => `${url}/${tenantId}/v2.0`;
  const federated = options.federatedCredential;
  const registrations = devRegistrations({
    serverClientId: options.clientId,
    ...(options.clientSecret !== undefined && { serverClientSecret: options.clientSecret }),
    ...(options.serverIdentifierUris !== undefined && { serverIdentifierUris: options.serverIdentifierUris }),
    ...(options.foundryClientSecret !== undefined && { foundryClientSecret: options.foundryClientSecret }),
    ...(options.foundryRedirectUris !== undefined && { foundryRedirectUris: options.foundryRedirectUris }),
    ...(federated !== undefined && {
      // The issuer is this provider's own, known once it listens.
      serverFederatedCredential: { get issuer() { return issuer(federated.tenantId); }, subject: federated.subject, audience: federated.audience },
    }),
  });
  const store = new GrantStore(now);

  const authorizeContext: AuthorizeContext = {
    registrations,
    store,
    users: SAMPLE_USERS,
    tenants: new Set([DEV_TENANT_ID, DEV_OTHER_TENANT_ID, ...SAMPLE_USERS.map((user) => user.tid)]),
    now,
  };
  const deviceContext: DeviceCodeContext = {
    ...authorizeContext,
    get verificationUri() { return `${url}/devicelogin`; },
    get deviceCodeIntervalSeconds() { return provider.deviceCodeIntervalSeconds; },
  };
  const tokenContext: TokenContext = {
    ...authorizeContext,
    issuer,
    sign: (payload) => provider.sign(payload),
    publicKeys: () => keys.map((key) => key.publicJwk),
    get accessTokenLifetimeSeconds() { return provider.accessTokenLifetimeSeconds; },
    get oboTokenLifetimeSeconds() { return provider.oboTokenLifetimeSeconds; },
    refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds ?? 90 * 24 * 3600,
    oboRequests,
    oboFailures,
    counts,
  };

  const revokeAnswer = (form: URLSearchParams, wantsHtml: boolean, csrf: string): Answer => {
    const key = form.get('user');
    const summaries = () => SAMPLE_USERS.map((user) => ({
      key: user.key,
      name: user.name,
      upn: user.upn,
      grants: [...store.consentsOf(user)].map(([clientId, scopes]) => `${registrations.byClientId(clientId)?.displayName ?? clientId}: ${scopes.join(' ')}`),
    }));
    if (key === null) return wantsHtml ? html(200, revokePage({ users: summaries(), csrf })) : json(400, { error: 'user_missing', users: SAMPLE_USERS.map((u) => u.key) });
    const user = SAMPLE_USERS.find((candidate) => candidate.key === key || candidate.upn.toLowerCase() === key.toLowerCase());
    if (user === undefined) return json(404, { error: 'unknown_user', users: SAMPLE_USERS.map((u) => u.key) });
    const revoked = provider.revoke(user);
    return wantsHtml
      ? html(200, revokePage({ users: summaries(), csrf, message: `Revoked ${user.name}'s ${revoked.consents} consents and ${revoked.refreshTokens} refresh tokens.` }))
      : json(200, { user: user.upn, ...revoked });
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestUrl = new URL(request.url ?? '/', url);
    const path = requestUrl.pathname;
    const method = request.method ?? 'GET';
    const discovery = DISCOVERY.exec(path);
    if (discovery !== null) {
      counts.discovery++;
      if (!provider.available) return sendJson(response, 503, { error: 'temporarily_unavailable' });
      const tenant = discovery[1] ?? '';
      const tenantIssuer = tenant === 'organizations' || tenant === 'common' ? `${url}/{tenantid}/v2.0` : issuer(tenant);
      return writeAnswer(response, json(200, openIdConfiguration(url, tenant, tenantIssuer), { ...ANY_ORIGIN, 'cache-control': 'max-age=86400, private' }));
    }
    if (KEYS.test(path)) {
      counts.jwks++;
      if (!provider.available) return sendJson(response, 503, { error: 'temporarily_unavailable' });
      return writeAnswer(response, json(200, { keys: keys.map((key) => key.publicJwk) }, { ...ANY_ORIGIN, 'cache-control': 'max-age=86400, private' }));
    }
    const authorizePath = AUTHORIZE.exec(path);
    if (authorizePath !== null && (method === 'GET' || method === 'POST')) {
      counts.authorize++;
      const params = method === 'POST' ? await readForm(request) : requestUrl.searchParams;
      const browser = browserOf(request);
      return writeAnswer(response, withCookies(authorize(authorizeContext, authorizePath[1] ?? '', params, { session: cookie(request, SESSION_COOKIE), browser: browser.id }), browser.setCookie));
    }
    const tokenPath = TOKEN.exec(path);
    if (tokenPath !== null && method === 'OPTIONS') {
      return writeAnswer(response, { status: 204, headers: { ...ANY_ORIGIN, 'access-control-allow-methods': 'POST', 'access-control-allow-headers': 'content-type, authorization', 'access-control-max-age': '86400' }, body: '' });
    }
    if (tokenPath !== null && method === 'POST') {
      const answer = await token(tokenContext, {
        tenantPath: tokenPath[1] ?? '',
        form: await readForm(request),
        authorization: request.headers.authorization,
        origin: typeof request.headers.origin === 'string' ? request.headers.origin : undefined,
      });
      if (answer === 'reset') {
        response.socket?.destroy();
        return;
      }
      return writeAnswer(response, answer);
    }
    const deviceCodePath = DEVICE_CODE.exec(path);
    if (deviceCodePath !== null && method === 'POST') {
      counts.token++;
      try {
        return writeAnswer(response, deviceCodeRequest(deviceContext, deviceCodePath[1] ?? '', await readForm(request)));
      } catch (error) {
        if (error instanceof EntraError) return writeAnswer(response, entraErrorAnswer(error, {}, now()));
        throw error;
      }
    }
    if (path === '/devicelogin' && method === 'GET') {
      const browser = browserOf(request);
      return writeAnswer(response, withCookies(deviceLoginPage(), browser.setCookie));
    }
    if (path === '/devicelogin' && method === 'POST') {
      const browser = browserOf(request);
      return writeAnswer(response, withCookies(deviceLogin(deviceContext, await readForm(request), browser.id), browser.setCookie));
    }
    if (path === '/login' && method === 'POST') {
      const { answer, cookie: setCookie } = login(authorizeContext, await readForm(request), cookie(request, BROWSER_COOKIE));
      return writeAnswer(response, withCookies(answer, setCookie === undefined ? [] : [setCookie]));
    }
    if (path === '/consent' && method === 'POST') {
      return writeAnswer(response, consent(authorizeContext, await readForm(request), cookie(request, BROWSER_COOKIE)));
    }
    if (path === '/dev/revoke' && (method === 'GET' || method === 'POST')) {
      const form = method === 'POST' ? await readForm(request) : new URLSearchParams();
      const user = requestUrl.searchParams.get('user') ?? form.get('user');
      const wantsHtml = (request.headers.accept ?? '').includes('text/html');
      const browser = browserOf(request);
      // Only a POST revokes; a GET shows the page and changes nothing.
      if (method === 'GET') return writeAnswer(response, withCookies(revokeAnswer(new URLSearchParams(), true, browser.id), browser.setCookie));
      // Browsers send Origin with every POST: one must carry the page's token, so another site cannot revoke
      // through the user's browser. A client without Origin (curl, a script) is no browser to abuse.
      if (request.headers.origin !== undefined && (browser.setCookie.length > 0 || form.get('csrf') !== browser.id)) {
        return sendJson(response, 403, { error: 'forbidden', error_description: 'Revoke from the page at /dev/revoke.' });
      }
      return writeAnswer(response, revokeAnswer(new URLSearchParams(user === null ? {} : { user }), wantsHtml, browser.id));
    }
    if (path === '/dev/token' && method === 'GET') {
      const key = requestUrl.searchParams.get('user') ?? SAMPLE_USERS[0]?.key;
      const user = SAMPLE_USERS.find((candidate) => candidate.key === key);
      if (user === undefined) return sendJson(response, 404, { error: 'unknown_user', users: SAMPLE_USERS.map((u) => u.key) });
      return sendJson(response, 200, { access_token: await provider.accessToken(user), token_type: 'Bearer', user: user.upn });
    }
    if (path === '/dev/agent-identity/token' && method === 'GET') {
      // What a hosted agent's container asks the platform's identity endpoint for (App Service's API 2019-08-01 shape):
      // the project's agent identity, for Foundry. Dev-only, like /dev/token: any local process may have it.
      const resource = requestUrl.searchParams.get('resource') ?? '';
      if (!isFoundryResource(resource)) {
        return sendJson(response, 400, { error: 'invalid_resource', error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant. The dev agent identity gets tokens for ${FOUNDRY_AUDIENCE} only.` });
      }
      const issued = Math.floor(now() / 1000);
      const lifetime = provider.accessTokenLifetimeSeconds;
      const accessToken = await provider.sign(agentIdentityClaims(issuer(DEV_AGENT_IDENTITY.tenantId), issued, lifetime));
      return sendJson(response, 200, { access_token: accessToken, expires_on: String(issued + lifetime), resource: FOUNDRY_AUDIENCE, token_type: 'Bearer', client_id: DEV_AGENT_IDENTITY.clientId });
    }
    if (path === '/' && method === 'GET') {
      const apps = [registrations.server, registrations.foundry, registrations.publicClient].map((app) => ({
        name: app.displayName,
        clientId: app.clientId,
        kind: app === registrations.server ? 'API (confidential)' : app.clientSecret === undefined ? 'public client' : 'confidential client',
        redirectUris: app.redirectUris.map(describeRedirectUri),
      }));
      return writeAnswer(response, html(200, homePage({
        discoveryUrls: ['organizations', DEV_TENANT_ID, DEV_OTHER_TENANT_ID].map((tenant) => `${url}/${tenant}/v2.0/.well-known/openid-configuration`),
        apps,
        users: SAMPLE_USERS.map((user) => ({ name: user.name, upn: user.upn, tid: user.tid, roles: user.roles ?? [] })),
      })));
    }
    // Readable cross-origin, so a browser client's discovery moves on to the next well-known URL.
    sendJson(response, 404, { error: 'not_found' }, ANY_ORIGIN);
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    void handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return void response.destroy();
      if (error instanceof BodyTooLarge) return sendJson(response, 413, { error: 'request_too_large' }, { connection: 'close' });
      sendJson(response, 500, { error: 'server_error' });
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
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    deviceCodeIntervalSeconds: options.deviceCodeIntervalSeconds ?? 5,
    available: true,
    registrations,
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
      const claims = apiTokenClaims(user, {
        issuer: issuer(user.tid),
        audience: options.clientId,
        clientId: DEV_PUBLIC_CLIENT_ID,
        clientAuth: '0',
        scopes: ['access_as_user'],
        now: Math.floor(now() / 1000),
        lifetimeSeconds: tokenOptions.lifetimeSeconds ?? 3600,
      });
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
    revoke: (user) => store.revoke(user),
  };
  return provider;
}
