// The authorization endpoint and its sign-in and consent pages: authorization code flow as Entra v2 runs it.
import { html, redirect, type Answer } from './answer.js';
import { EntraError, entraErrorParams, errorIds } from './entraError.js';
import type { AuthorizationRequest, Flow, GrantStore, Session } from './grantStore.js';
import { consentPage, deviceDonePage, errorPage, formPostPage, signInPage } from './pages.js';
import { describeRedirectUri, matchRedirectUri, type AppRegistration, type RedirectUri, type Registrations } from './registrations.js';
import { checkResourceParameter, consentKeys, describeConsentKey, parseScopes } from './scopes.js';
import type { SampleUser } from '../sampleUsers.js';

export const SESSION_COOKIE = 'onbehalf_idp_session';
/**
 * Names the browser a sign-in started in. The pages' forms are answered only with it, and SameSite=Lax
 * keeps another site's form post from carrying it: no login or consent forged from elsewhere.
 */
export const BROWSER_COOKIE = 'onbehalf_idp_browser';

/** The cookies of the request the pages care about. */
export interface BrowserCookies {
  readonly session: string | undefined;
  /** Always set: the caller gives a browser without the cookie a new id (and sets it). */
  readonly browser: string;
}
const PROMPTS = new Set(['login', 'consent', 'select_account', 'none']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

export interface AuthorizeContext {
  readonly registrations: Registrations;
  readonly store: GrantStore;
  readonly users: readonly SampleUser[];
  readonly tenants: ReadonlySet<string>;
  now(): number;
}

/** `organizations`, `common` or a known tenant id. Throws `EntraError` `invalid_request` (AADSTS90002). */
export function checkTenantPath(tenantPath: string, tenants: ReadonlySet<string>): void {
  if (tenantPath === 'organizations' || tenantPath === 'common' || tenants.has(tenantPath.toLowerCase())) return;
  throw new EntraError(400, 'invalid_request', 90002, `Tenant '${tenantPath}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
}

/** A user of another tenant cannot sign in at a tenant's own authority. Throws `EntraError` (AADSTS50020). */
function checkUserTenant(user: SampleUser, request: Pick<AuthorizationRequest, 'tenantPath' | 'clientId'>): void {
  if (!GUID.test(request.tenantPath) || request.tenantPath.toLowerCase() === user.tid) return;
  throw new EntraError(400, 'access_denied', 50020, `User account '${user.upn}' from identity provider 'https://sts.windows.net/${user.tid}/' does not exist in tenant '${request.tenantPath}' and cannot access the application '${request.clientId}' in that tenant. The account needs to be added as an external user in the tenant first.`);
}

function errorAnswer(error: EntraError, now: number, restartUrl?: string, registered?: readonly RedirectUri[]): Answer {
  return html(error.status === 401 ? 401 : 400, errorPage({
    error,
    ids: errorIds(now),
    ...(restartUrl !== undefined && { restartUrl }),
    // Entra's page names only the refused URI; a local one can also say what would have matched.
    ...(registered !== undefined && { registeredRedirectUris: registered.map(describeRedirectUri) }),
  }));
}

/** Sends the result to the client's redirect URI the way it asked (query, fragment or form post). */
function toClient(request: AuthorizationRequest, params: Record<string, string>): Answer {
  const all = { ...params, ...(request.state !== undefined && { state: request.state }) };
  if (request.responseMode === 'form_post') return html(200, formPostPage(request.redirectUri, all));
  const search = new URLSearchParams(all).toString();
  if (request.responseMode === 'fragment') return redirect(`${request.redirectUri}#${search}`);
  return redirect(`${request.redirectUri}${request.redirectUri.includes('?') ? '&' : '?'}${search}`);
}

/** A refusal goes to the client's redirect URI; a device code sign-in has none, so the device learns it when it polls. */
function errorToClient(ctx: AuthorizeContext, request: AuthorizationRequest, error: EntraError): Answer {
  const now = ctx.now();
  if (request.deviceCode !== undefined) {
    const device = ctx.store.device(request.deviceCode);
    if (device?.status === 'pending') device.status = 'declined';
    return errorAnswer(error, now);
  }
  return toClient(request, entraErrorParams(error, now));
}

/** The user is signed in and has consented: a code for the client, or the device code approved. */
function finish(ctx: AuthorizeContext, app: AppRegistration, request: AuthorizationRequest, user: SampleUser, sessionId: string): Answer {
  if (request.deviceCode === undefined) return toClient(request, { code: ctx.store.issueCode(request, user, sessionId) });
  const device = ctx.store.device(request.deviceCode);
  if (device?.status !== 'pending' || device.expiresAt <= ctx.now()) {
    return errorAnswer(new EntraError(400, 'expired_token', 70019, 'Verification code expired. Start the sign-in again on your device.'), ctx.now());
  }
  device.status = 'approved';
  device.user = user;
  device.sessionId = sessionId;
  return html(200, deviceDonePage({ appName: app.displayName }));
}

function sessionCookie(session: Session): string {
  return `${SESSION_COOKIE}=${session.id}; Path=/; Secure; HttpOnly; SameSite=Lax`;
}

/**
 * Validates an authorization request. Errors before the redirect URI is known to be the client's are
 * shown on a page (never sent to an unverified URI); later ones go back to the client.
 */
function validate(ctx: AuthorizeContext, tenantPath: string, params: URLSearchParams): { request?: AuthorizationRequest; app?: AppRegistration; pageError?: EntraError; registered?: readonly RedirectUri[]; clientError?: EntraError; partial?: AuthorizationRequest } {
  try {
    checkTenantPath(tenantPath, ctx.tenants);
  } catch (error) {
    return { pageError: error as EntraError };
  }
  const clientId = params.get('client_id');
  if (clientId === null || clientId === '') return { pageError: new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.") };
  const app = ctx.registrations.byClientId(clientId);
  if (app === undefined) {
    return { pageError: new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantPath}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`) };
  }
  const redirectUri = params.get('redirect_uri');
  if (redirectUri === null || redirectUri === '') return { pageError: new EntraError(400, 'invalid_request', 900971, 'No reply address provided.') };
  const registered = matchRedirectUri(app, redirectUri);
  if (registered === undefined) {
    return {
      pageError: new EntraError(400, 'invalid_request', 50011, `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`),
      registered: app.redirectUris,
    };
  }
  const responseModeRaw = params.get('response_mode') ?? 'query';
  const responseMode = (['query', 'fragment', 'form_post'] as const).find((mode) => mode === responseModeRaw);
  const partial: AuthorizationRequest = {
    tenantPath,
    clientId: app.clientId,
    redirectUri,
    redirectType: registered.type,
    responseMode: responseMode ?? 'query',
    state: params.get('state') ?? undefined,
    nonce: params.get('nonce') ?? undefined,
    scopes: { resource: 'graph', resourceScopes: [], oidc: [] },
    codeChallenge: undefined,
    codeChallengeMethod: undefined,
    loginHint: params.get('login_hint') ?? undefined,
    prompt: params.get('prompt') ?? undefined,
    query: params.toString(),
  };
  const fail = (error: EntraError) => ({ app, partial, clientError: error });
  if (responseMode === undefined) return fail(new EntraError(400, 'invalid_request', 70007, `The application returned an unsupported value of 'response_mode': '${responseModeRaw}'.`));
  if (params.get('response_type') !== 'code') {
    return fail(new EntraError(400, 'unsupported_response_type', 70005, `The application requested an unsupported response type '${params.get('response_type') ?? ''}'. Only 'code' is enabled for this application.`));
  }
  let scopes;
  try {
    scopes = parseScopes(params.get('scope'), ctx.registrations.server);
    checkResourceParameter(params.get('resource'), scopes, ctx.registrations.server);
  } catch (error) {
    return fail(error as EntraError);
  }
  if (partial.prompt !== undefined && !PROMPTS.has(partial.prompt)) {
    return fail(new EntraError(400, 'invalid_request', 90023, `Invalid prompt value '${partial.prompt}'. Supported values are login, consent, select_account and none.`));
  }
  const codeChallenge = params.get('code_challenge') ?? undefined;
  const methodRaw = params.get('code_challenge_method') ?? (codeChallenge === undefined ? undefined : 'plain');
  const isPublic = app.clientSecret === undefined;
  if (methodRaw !== undefined && methodRaw !== 'S256' && methodRaw !== 'plain') {
    return fail(new EntraError(400, 'invalid_request', 501491, `Invalid code_challenge_method '${methodRaw}'.`));
  }
  if (isPublic && (codeChallenge === undefined || methodRaw !== 'S256')) {
    return fail(new EntraError(400, 'invalid_request', 9002325, 'Proof Key for Code Exchange is required for public clients, with code_challenge_method S256.'));
  }
  if (codeChallenge !== undefined && methodRaw === 'S256' && !S256_CHALLENGE.test(codeChallenge)) {
    return fail(new EntraError(400, 'invalid_request', 501491, 'Invalid size of Code_Challenge parameter.'));
  }
  return {
    app,
    request: { ...partial, scopes, codeChallenge, codeChallengeMethod: methodRaw === 'S256' || methodRaw === 'plain' ? methodRaw : undefined },
  };
}

function accountChoices(ctx: AuthorizeContext, hint: string | undefined) {
  const hinted = hint?.toLowerCase();
  return ctx.users.map((user) => ({ key: user.key, name: user.name, upn: user.upn, hinted: hinted !== undefined && (user.upn.toLowerCase() === hinted || user.key === hinted) }));
}

/** What comes after the user is known: the consent page if something is missing, else the code. */
function afterSignIn(ctx: AuthorizeContext, app: AppRegistration, request: AuthorizationRequest, user: SampleUser, session: Session, browser: string, flow?: Flow): Answer {
  const missing = missingConsent(ctx, app, request, user);
  if (request.prompt === 'none' && missing.length > 0) {
    return errorToClient(ctx, request, new EntraError(400, 'consent_required', 65001, `The user or administrator has not consented to use the application with ID '${app.clientId}'. Send an interactive authorization request for this user and resource.`));
  }
  if (missing.length > 0 || request.prompt === 'consent') {
    const current = flow ?? ctx.store.startFlow(request, browser);
    current.user = user;
    current.sessionId = session.id;
    const keys = request.prompt === 'consent' ? consentKeys(request.scopes, ctx.registrations.server) : missing;
    return html(200, consentPage({
      appName: app.displayName,
      userName: user.name,
      userUpn: user.upn,
      flowId: current.id,
      permissions: keys.map((key) => describeConsentKey(key, ctx.registrations.server)),
    }));
  }
  if (flow !== undefined) ctx.store.endFlow(flow.id);
  return finish(ctx, app, request, user, session.id);
}

/** Consent keys not yet given, leaving out what the API pre-authorized for this client. */
function missingConsent(ctx: AuthorizeContext, app: AppRegistration, request: AuthorizationRequest, user: SampleUser): string[] {
  const server = ctx.registrations.server;
  const preAuthorized = request.scopes.resource === 'server' && server.preAuthorizedClients.includes(app.clientId);
  const keys = consentKeys(request.scopes, server).filter((key) => !(preAuthorized && key.startsWith(`${server.clientId}/`)));
  return ctx.store.missingConsent(user, app.clientId, keys);
}

/** GET /{tenant}/oauth2/v2.0/authorize */
export function authorize(ctx: AuthorizeContext, tenantPath: string, params: URLSearchParams, cookies: BrowserCookies): Answer {
  const now = ctx.now();
  const validated = validate(ctx, tenantPath, params);
  if (validated.pageError !== undefined) return errorAnswer(validated.pageError, now, undefined, validated.registered);
  if (validated.clientError !== undefined && validated.partial !== undefined) return errorToClient(ctx, validated.partial, validated.clientError);
  const { request, app } = validated as { request: AuthorizationRequest; app: AppRegistration };

  const session = ctx.store.session(cookies.session);
  const hint = request.loginHint?.toLowerCase();
  const sessionFits = session !== undefined
    && (hint === undefined || session.user.upn.toLowerCase() === hint || session.user.key === hint)
    && (!GUID.test(tenantPath) || session.user.tid === tenantPath.toLowerCase());
  if (request.prompt === 'none') {
    if (!sessionFits) {
      return errorToClient(ctx, request, new EntraError(400, 'login_required', 50058, 'A silent sign-in request was sent but no user is signed in.'));
    }
    return afterSignIn(ctx, app, request, session.user, session, cookies.browser);
  }
  if (sessionFits && request.prompt !== 'login' && request.prompt !== 'select_account') {
    return afterSignIn(ctx, app, request, session.user, session, cookies.browser);
  }
  return signInFor(ctx, app, request, cookies.browser);
}

/** The sign-in page for a request, remembered as a flow of this browser. */
export function signInFor(ctx: AuthorizeContext, app: AppRegistration, request: AuthorizationRequest, browser: string): Answer {
  const flow = ctx.store.startFlow(request, browser);
  return html(200, signInPage({ appName: app.displayName, flowId: flow.id, accounts: accountChoices(ctx, request.loginHint) }));
}

function expiredFlow(): EntraError {
  return new EntraError(400, 'invalid_request', 50089, 'Authentication failed due to flow token expired, or it was started in another browser. Start the sign-in again from the application.');
}

/** POST /login: the account picked on the sign-in page. */
export function login(ctx: AuthorizeContext, form: URLSearchParams, browser: string | undefined): { answer: Answer; cookie?: string } {
  const now = ctx.now();
  const flow = ctx.store.flow(form.get('flow') ?? '', browser);
  if (flow === undefined) return { answer: errorAnswer(expiredFlow(), now) };
  const app = ctx.registrations.byClientId(flow.request.clientId);
  const user = ctx.users.find((candidate) => candidate.key === form.get('user'));
  if (app === undefined || user === undefined) return { answer: errorAnswer(new EntraError(400, 'invalid_request', 50034, 'The user account does not exist in the directory.'), now) };
  const restartUrl = flow.request.deviceCode !== undefined ? '/devicelogin' : `/${encodeURIComponent(flow.request.tenantPath)}/oauth2/v2.0/authorize?${flow.request.query}`;
  try {
    checkUserTenant(user, flow.request);
  } catch (error) {
    return { answer: errorAnswer(error as EntraError, now, restartUrl) };
  }
  const session = ctx.store.startSession(user);
  return { answer: afterSignIn(ctx, app, flow.request, user, session, flow.browser, flow), cookie: sessionCookie(session) };
}

/** POST /consent: Accept or Cancel on the consent page. */
export function consent(ctx: AuthorizeContext, form: URLSearchParams, browser: string | undefined): Answer {
  const now = ctx.now();
  const flow = ctx.store.flow(form.get('flow') ?? '', browser);
  if (flow?.user === undefined || flow.sessionId === undefined) return errorAnswer(expiredFlow(), now);
  ctx.store.endFlow(flow.id);
  const { request, user } = flow;
  if (form.get('action') !== 'accept') {
    return errorToClient(ctx, request, new EntraError(400, 'access_denied', 65004, 'User declined to consent to access the app.', { error_subcode: 'cancel' }));
  }
  const app = ctx.registrations.byClientId(request.clientId);
  if (app === undefined) return errorAnswer(expiredFlow(), now);
  ctx.store.grantConsent(user, request.clientId, consentKeys(request.scopes, ctx.registrations.server));
  return finish(ctx, app, request, user, flow.sessionId);
}
