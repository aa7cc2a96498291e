// One OAuth identity passthrough connection as Foundry runs it: consent links, the redirect, each user's tokens, refresh, and the project's tenant.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decodeJwt } from 'jose';
import { escapeHtml } from '../identity/pages.js';
import type { FoundryConnection } from './connection.js';

/** What happened, step by step, for the rehearsal to print and the tests to check. */
export type PassthroughEvent =
  | { readonly kind: 'consent_requested'; readonly user: string; readonly consentLink: string }
  | { readonly kind: 'consent_completed'; readonly user: string; readonly signedInAs: string; readonly upn: string }
  | { readonly kind: 'consent_refused'; readonly user: string; readonly error: string }
  | { readonly kind: 'token_refused'; readonly user: string; readonly error: string }
  | { readonly kind: 'token_refreshed'; readonly user: string }
  | { readonly kind: 'refresh_refused'; readonly user: string; readonly error: string }
  | { readonly kind: 'tool_called'; readonly user: string; readonly tool: string; readonly ok: boolean };

export interface PassthroughOptions {
  readonly connection: FoundryConnection;
  /**
   * The tenant of the Foundry project. Microsoft's MCP and tool authentication pages: the user's Entra tenant
   * must be the project's, and cross-tenant token exchange is not supported.
   */
  readonly projectTenantId: string;
  /** The origin the consent and redirect pages are served from (known once the server listens). */
  readonly origin: () => string;
  /** How the connection authenticates at the token endpoint (default client_secret_post). */
  readonly clientAuth?: 'client_secret_post' | 'client_secret_basic';
  /** The clock, in ms since the epoch: tests move it past an access token's expiry. */
  readonly now: () => number;
  /**
   * `early` (default): refresh a minute before the access token's `expires_in` runs out. `when-refused`: keep
   * sending it until the MCP server refuses it, so a real expiry (exp plus the server's clock skew) shows.
   */
  readonly refresh?: 'early' | 'when-refused';
  readonly emit: (event: PassthroughEvent) => void;
}

export interface StoredTokens {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** ms since the epoch, from the token answer's `expires_in` */
  readonly expiresAt: number;
}

export interface Passthrough {
  /** The redirect URL Foundry shows once the connection (its credential provider) is created. */
  readonly redirectUri: string;
  /** A new consent link for `user`: its id (the consent request's) and URL. */
  consentLink(user: string): { readonly id: string; readonly link: string };
  /** The user's tokens, refreshed at the Refresh URL when due (or when `force`); undefined when there are none or the refresh is refused. */
  tokens(user: string, force?: boolean): Promise<StoredTokens | undefined>;
  /** Runs `call` with the user's access token; refreshes once and runs it again when the MCP server answers 401. */
  withUserToken<T extends { readonly status?: number; readonly refusal?: string }>(user: string, call: (accessToken: string) => Promise<T>): Promise<T | 'consent_required'>;
  /** Serves the consent link and the redirect URL; false for any other path. */
  handle(url: URL, response: ServerResponse): Promise<boolean>;
  /** Settles when the sign-in behind a consent request came back: resolves once tokens are stored, rejects with the OAuth error. */
  readonly waitForConsent: (consentRequestId: string) => Promise<void>;
  readonly hasTokens: (user: string) => boolean;
}

interface PendingConsent {
  readonly id: string;
  readonly user: string;
  readonly expiresAt: number;
  readonly waiters: { resolve: () => void; reject: (error: Error) => void }[];
  outcome?: { ok: true } | { ok: false; error: Error };
}

// Foundry's consent links are short-lived credentials (about an hour).
const CONSENT_LINK_LIFETIME_MS = 3600_000;
// Refresh a little before expiry, so a call never goes out with a token about to lapse.
const REFRESH_MARGIN_MS = 60_000;
export const REDIRECT_PATH = '/foundry/redirect';
export const CONSENT_PATH = '/consent/login';

export class TokenEndpointError extends Error {
  constructor(readonly error: string, readonly description: string) {
    super(`${error}: ${description}`);
  }
}

export function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main></body></html>`;
}

export function sendPage(response: ServerResponse, status: number, title: string, text: string): void {
  response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  response.end(page(title, text));
}

export function opaqueId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/** Who a token is for (tenant, name, UPN); Foundry trusts the token endpoint that gave it, and so does the stand-in. */
function tokenUser(accessToken: string): { tid: string; name: string; upn: string } {
  try {
    const claims = decodeJwt(accessToken);
    const text = (name: string) => (typeof claims[name] === 'string' ? claims[name] : '?');
    return { tid: text('tid').toLowerCase(), name: text('name'), upn: text('preferred_username') };
  } catch {
    return { tid: '?', name: '?', upn: '?' };
  }
}

/**
 * What the stand-in answers a user of another tenant. Microsoft documents the rule (the user's tenant must be the
 * project's; no cross-tenant token exchange) but not Foundry's words or the point where it refuses, so this is our
 * choice: the sign-in completes at Entra, and the connection then refuses to keep the tokens, on the page the user
 * sees and to the agent that waits, as `cross_tenant_not_supported`. Nothing is stored, and the MCP server is never called.
 */
export function crossTenantRefusal(userTenant: string, projectTenant: string, upn: string): TokenEndpointError {
  return new TokenEndpointError('cross_tenant_not_supported', `${upn} signed in from tenant ${userTenant}, but this Foundry project serves users of its own tenant ${projectTenant} only: OAuth identity passthrough does not exchange tokens across tenants.`);
}

export function createPassthrough(options: PassthroughOptions): Passthrough {
  const { connection, now, emit } = options;
  const projectTenant = options.projectTenantId.toLowerCase();
  const tokens = new Map<string, StoredTokens>();
  const consents = new Map<string, PendingConsent>();
  const states = new Map<string, string>();
  const redirectUri = () => `${options.origin()}${REDIRECT_PATH}`;

  const tokenRequest = async (endpoint: string, form: Record<string, string>): Promise<StoredTokens> => {
    const body = new URLSearchParams(form);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (options.clientAuth === 'client_secret_basic') {
      const encode = (value: string) => encodeURIComponent(value);
      headers['authorization'] = `Basic ${Buffer.from(`${encode(connection.clientId)}:${encode(connection.clientSecret)}`).toString('base64')}`;
    } else {
      body.set('client_id', connection.clientId);
      body.set('client_secret', connection.clientSecret);
    }
    const response = await fetch(endpoint, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
    const answer = await response.json().catch(() => ({})) as Record<string, unknown>;
    if (!response.ok || typeof answer['access_token'] !== 'string') {
      const text = (name: string) => (typeof answer[name] === 'string' ? answer[name] : undefined);
      throw new TokenEndpointError(text('error') ?? `http_${response.status}`, text('error_description') ?? '');
    }
    const expiresIn = Number(answer['expires_in'] ?? 3600);
    return {
      accessToken: answer['access_token'],
      refreshToken: typeof answer['refresh_token'] === 'string' ? answer['refresh_token'] : undefined,
      expiresAt: now() + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    };
  };

  const usableTokens = async (user: string, force = false): Promise<StoredTokens | undefined> => {
    const stored = tokens.get(user);
    if (stored === undefined) return undefined;
    const due = options.refresh !== 'when-refused' && stored.expiresAt - REFRESH_MARGIN_MS <= now();
    if (!force && !due) return stored;
    if (stored.refreshToken === undefined) {
      tokens.delete(user);
      return undefined;
    }
    try {
      const refreshed = await tokenRequest(connection.refreshUrl, { grant_type: 'refresh_token', refresh_token: stored.refreshToken, scope: connection.scopes });
      const next = { ...refreshed, refreshToken: refreshed.refreshToken ?? stored.refreshToken };
      tokens.set(user, next);
      emit({ kind: 'token_refreshed', user });
      return next;
    } catch (error) {
      if (error instanceof TokenEndpointError && error.error === 'invalid_grant') {
        // The grant is gone (revoked, expired): the user must consent again.
        tokens.delete(user);
        emit({ kind: 'refresh_refused', user, error: error.message });
        return undefined;
      }
      throw error;
    }
  };

  const settle = (consent: PendingConsent, outcome: { ok: true } | { ok: false; error: Error }) => {
    consent.outcome = outcome;
    for (const waiter of consent.waiters.splice(0)) {
      if (outcome.ok) waiter.resolve();
      else waiter.reject(outcome.error);
    }
  };

  const refuse = (consent: PendingConsent, error: Error) => {
    emit({ kind: 'consent_refused', user: consent.user, error: error.message });
    settle(consent, { ok: false, error });
  };

  const handle = async (url: URL, response: ServerResponse): Promise<boolean> => {
    if (url.pathname === CONSENT_PATH) {
      const consent = consents.get(url.searchParams.get('data') ?? '');
      if (consent === undefined || consent.expiresAt <= now()) {
        sendPage(response, 410, 'Link expired', 'This consent link is unknown or expired. Ask the agent again to get a new one.');
        return true;
      }
      const state = randomBytes(24).toString('base64url');
      states.set(state, consent.id);
      const authorize = new URL(connection.authUrl);
      authorize.search = new URLSearchParams({
        client_id: connection.clientId,
        response_type: 'code',
        redirect_uri: redirectUri(),
        response_mode: 'query',
        scope: connection.scopes,
        state,
      }).toString();
      response.writeHead(302, { location: authorize.href, 'cache-control': 'no-store' });
      response.end();
      return true;
    }
    if (url.pathname !== REDIRECT_PATH) return false;
    const state = url.searchParams.get('state') ?? '';
    const consent = consents.get(states.get(state) ?? '');
    // A state is good for one answer: a replayed or forged redirect finds nothing.
    states.delete(state);
    if (consent === undefined) {
      sendPage(response, 400, 'Unknown sign-in', 'This answer does not belong to a sign-in started here.');
      return true;
    }
    const error = url.searchParams.get('error');
    if (error !== null) {
      refuse(consent, new TokenEndpointError(error, url.searchParams.get('error_description') ?? ''));
      sendPage(response, 400, 'Not connected', `The sign-in ended with ${error}. Ask the agent again to get a new link.`);
      return true;
    }
    let obtained: StoredTokens;
    try {
      obtained = await tokenRequest(connection.tokenUrl, { grant_type: 'authorization_code', code: url.searchParams.get('code') ?? '', redirect_uri: redirectUri(), scope: connection.scopes });
    } catch (failure) {
      const asError = failure instanceof Error ? failure : new Error(String(failure));
      refuse(consent, asError);
      sendPage(response, 502, 'Not connected', `The token endpoint refused the code: ${asError.message}`);
      return true;
    }
    const who = tokenUser(obtained.accessToken);
    if (who.tid !== projectTenant) {
      const refusal = crossTenantRefusal(who.tid, projectTenant, who.upn);
      refuse(consent, refusal);
      sendPage(response, 403, 'Not connected', refusal.description);
      return true;
    }
    tokens.set(consent.user, obtained);
    emit({ kind: 'consent_completed', user: consent.user, signedInAs: `${who.name} <${who.upn}>`, upn: who.upn });
    settle(consent, { ok: true });
    sendPage(response, 200, 'Connected', 'You can close this window and go back to the conversation.');
    return true;
  };

  const withUserToken: Passthrough['withUserToken'] = async (user, call) => {
    let held = await usableTokens(user);
    if (held === undefined) return 'consent_required';
    let result = await call(held.accessToken);
    if (result.status === 401 && held.refreshToken !== undefined) {
      // The token may have been refused for its age: refresh once and try again.
      emit({ kind: 'token_refused', user, error: result.refusal ?? 'HTTP 401' });
      held = await usableTokens(user, true);
      if (held === undefined) return 'consent_required';
      result = await call(held.accessToken);
    }
    return result;
  };

  return {
    get redirectUri() {
      return redirectUri();
    },
    consentLink: (user) => {
      const consent: PendingConsent = { id: opaqueId('oauthreq'), user, expiresAt: now() + CONSENT_LINK_LIFETIME_MS, waiters: [] };
      consents.set(consent.id, consent);
      const link = `${options.origin()}${CONSENT_PATH}?data=${consent.id}`;
      emit({ kind: 'consent_requested', user, consentLink: link });
      return { id: consent.id, link };
    },
    tokens: usableTokens,
    withUserToken,
    handle,
    waitForConsent: (consentId) => new Promise<void>((resolve, reject) => {
      const consent = consents.get(consentId);
      if (consent === undefined) return reject(new Error(`unknown consent request ${consentId}`));
      if (consent.outcome !== undefined) return consent.outcome.ok ? resolve() : reject(consent.outcome.error);
      consent.waiters.push({ resolve, reject });
    }),
    hasTokens: (user) => tokens.has(user),
  };
}
