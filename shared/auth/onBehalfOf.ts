// The On-Behalf-Of exchange: the caller's token for our API becomes a Graph token with only the scopes one tool needs.
import { readFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type * as Msal from '@azure/msal-node';
import type { ConfidentialClientApplication, Configuration, ManagedIdentityApplication } from '@azure/msal-node';
import type { ClientCredential } from '../config/parseConfig.js';
import { adminConsentUrl } from './adminConsentUrl.js';
import { AuthError } from './authError.js';
import { createExpiringCache } from './expiringCache.js';
import type { VerifiedCaller } from './identity.js';
import { loadMsal, type MsalModule } from './msal.js';
import { traceOboExchange, type OboTelemetry } from '../telemetry/spans/oboExchange.js';

export interface OnBehalfOfOptions {
  readonly authorityHost: string;
  /** Tenant of the app registration, or `organizations`. */
  readonly tenantId: string;
  readonly clientId: string;
  readonly credential: ClientCredential;
  /** Tokens MSAL may fetch into its cache before the client is replaced by a fresh one (default 10,000). */
  readonly maxMsalCachedTokens?: number;
  /** MCP_PUBLIC_URL, for the reply address of the admin consent link (see adminConsentUrl). */
  readonly publicUrl?: URL | undefined;
}

/** Resolves to a Graph access token for the caller; see `createOnBehalfOf` for the codes it throws. */
export type AcquireGraphToken = (caller: VerifiedCaller, scopes: readonly string[]) => Promise<string>;

/** Audience of the managed identity token that stands in for a client secret (federated credential). */
const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';
const CLAIMS_CODES = new Set(['50076', '50079', '50158', '53003', '53000', '50072']);
const REFUSED_ASSERTION_CODES = new Set(['50013', '500133', '50173', '50133']);
const TRANSIENT_CODES = new Set(['server_error', 'temporarily_unavailable', 'network_error', 'endpoints_resolution_error', 'openid_config_error']);

/** The app's credential for MSAL; a certificate file is read and checked here, when the app is built. */
function credentialFor(credential: ClientCredential): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate' | 'clientAssertion'> {
  switch (credential.kind) {
    case 'secret':
      return { clientSecret: credential.secret };
    case 'certificate': {
      const pem = readFileSync(credential.path, 'utf8');
      const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
      const privateKey = /-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA )?PRIVATE KEY-----/.exec(pem)?.[0];
      if (certificate === undefined || privateKey === undefined) {
        throw new Error('ENTRA_CLIENT_CERTIFICATE_PATH must name a PEM file holding the private key and the certificate');
      }
      const thumbprintSha256 = new X509Certificate(certificate).fingerprint256.replaceAll(':', '');
      return { clientCertificate: { thumbprintSha256, privateKey, x5c: certificate } };
    }
    case 'managedIdentity': {
      let identity: Promise<ManagedIdentityApplication> | undefined;
      // Fresh for every exchange, so an assertion can never be older than Entra accepts (AADSTS700024).
      return {
        clientAssertion: async () => {
          identity ??= loadMsal().then((msal) => new msal.ManagedIdentityApplication({ managedIdentityIdParams: { userAssignedClientId: credential.clientId } }));
          return (await (await identity).acquireToken({ resource: TOKEN_EXCHANGE_AUDIENCE, forceRefresh: true })).accessToken;
        },
      };
    }
  }
}

/** Tokens are used until this close to expiry, as MSAL does, so a renewed one is never cut short mid-call. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

function aadstsCode(error: Msal.AuthError): string | undefined {
  return /AADSTS(\d+)/.exec(error.errorMessage)?.[1];
}

/** Worth one retry: no answer at all, or Entra's own failure (MSAL may still hold the retry back for a while). */
function isTransient(error: unknown, msal: MsalModule | undefined): boolean {
  if (msal === undefined || !(error instanceof msal.AuthError)) return true; // a network failure below MSAL
  const status = (error as { status?: number }).status;
  return TRANSIENT_CODES.has(error.errorCode) || (status !== undefined && status >= 500);
}

/**
 * Builds the OBO exchange over one MSAL confidential client per app (its cache serves repeated
 * calls with the same assertion and scopes without reaching Entra). Throws `AuthError` with code
 * `consent_required` (AADSTS65001, with the admin-consent URL), `claims_challenge` (MFA or
 * Conditional Access, with Entra's claims), `assertion_refused` (invalid_grant: AADSTS50013 and
 * the like) or `entra_unavailable` (anything else, after one retry when it looked transient, with a
 * correlation id).
 */
export function createOnBehalfOf(options: OnBehalfOfOptions): AcquireGraphToken {
  const credential = credentialFor(options.credential);
  // MSAL loads with the first exchange; its error classes are what `mapError` sorts failures by.
  let msal: MsalModule | undefined;
  const newClient = (loaded: MsalModule) => new loaded.ConfidentialClientApplication({
    auth: {
      clientId: options.clientId,
      authority: `${options.authorityHost}/${options.tenantId}`,
      // Trust the configured host as is: what national clouds and a local stand-in both need.
      knownAuthorities: [new URL(options.authorityHost).host],
      ...credential,
    },
  });
  // MSAL's in-memory cache never evicts: on a long-lived instance every assertion it has seen stays.
  // The bounded map below serves repeats, so the client is replaced, cache and all, once it has fetched
  // this many tokens.
  const maxCached = options.maxMsalCachedTokens ?? 10_000;
  let client: ConfidentialClientApplication | undefined;
  let fetched = 0;
  const currentClient = async (): Promise<ConfidentialClientApplication> => {
    msal ??= await loadMsal();
    return client ??= newClient(msal);
  };

  // MSAL's cache finds a token by scanning every entry it holds; this map finds it in one step.
  const recent = createExpiringCache<string>(10_000);
  const exchange = async (caller: VerifiedCaller, scopes: readonly string[], key: string, obo: OboTelemetry): Promise<string> => {
    const result = await (await currentClient()).acquireTokenOnBehalfOf({
      oboAssertion: caller.assertion,
      scopes: [...scopes],
      authority: `${options.authorityHost}/${caller.identity.tid}`,
    });
    if (result === null || result.accessToken === '') throw new Error('Entra returned no access token');
    obo.cacheHit(result.fromCache);
    if (!result.fromCache && ++fetched >= maxCached) {
      client = undefined;
      fetched = 0;
    }
    recent.set(key, result.accessToken, (result.expiresOn?.getTime() ?? 0) - EXPIRY_MARGIN_MS);
    return result.accessToken;
  };

  const mapError = (error: unknown, caller: VerifiedCaller): AuthError => {
    const context = { cause: error, tenantId: caller.identity.tid, jtiHash: caller.tokenHash };
    if (msal === undefined || !(error instanceof msal.AuthError)) {
      return new AuthError('entra_unavailable', 'Entra ID could not be reached to act on your behalf', context);
    }
    const code = aadstsCode(error);
    const correlationId = error.correlationId || undefined;
    if (code === '65001' || error.subError === 'consent_required') {
      const consentUrl = adminConsentUrl({ authorityHost: options.authorityHost, tenantId: caller.identity.tid, clientId: options.clientId, publicUrl: options.publicUrl });
      return new AuthError('consent_required', 'This server has not been granted the Microsoft Graph permissions it needs in your organization', { ...context, consentUrl, correlationId });
    }
    const claims = error instanceof msal.InteractionRequiredAuthError && error.claims ? error.claims : undefined;
    if (claims !== undefined || (code !== undefined && CLAIMS_CODES.has(code))) {
      return new AuthError('claims_challenge', 'Your organization requires more verification (MFA or Conditional Access); sign in again', {
        ...context,
        claims: claims === undefined ? undefined : Buffer.from(claims, 'utf8').toString('base64'),
        correlationId,
      });
    }
    if (error.errorCode === 'invalid_grant' || (code !== undefined && REFUSED_ASSERTION_CODES.has(code))) {
      return new AuthError('assertion_refused', 'Entra ID refused your token for the On-Behalf-Of exchange; sign in again', { ...context, correlationId });
    }
    // Everything else is ours or Entra's to fix (a bad client credential, an outage, MSAL holding back
    // after a 5xx): never a 401, which would only send the client into a sign-in loop.
    return new AuthError('entra_unavailable', 'Entra ID failed to issue a token; try again shortly', { ...context, correlationId });
  };

  const exchangeWithRetry = async (caller: VerifiedCaller, scopes: readonly string[], key: string, obo: OboTelemetry): Promise<string> => {
    try {
      return await exchange(caller, scopes, key, obo);
    } catch (first) {
      if (!isTransient(first, msal) || (msal !== undefined && first instanceof msal.InteractionRequiredAuthError)) throw mapError(first, caller);
      try {
        return await exchange(caller, scopes, key, obo);
      } catch (second) {
        throw mapError(second, caller);
      }
    }
  };

  // MSAL's cache is filled only when an exchange ends: calls arriving meanwhile (a batch, an agent's
  // parallel tool calls) would each reach Entra. They share the exchange in flight instead.
  const inFlight = new Map<string, Promise<string>>();
  // A span per request for a token, whoever answers it: our map, an exchange in flight (both a cache hit:
  // Entra is not asked again), or MSAL (its cache, or Entra).
  return (caller, scopes) => traceOboExchange(caller.identity, scopes, (obo) => {
    // The whole token's hash with tid and oid: a claim such as jti alone is the issuer's choice, and two
    // users' tokens may share it.
    const key = `${caller.identity.tid}:${caller.identity.oid}:${caller.tokenHash}:${scopes.join(' ')}`;
    const cached = recent.get(key);
    if (cached !== undefined) {
      obo.cacheHit(true);
      return Promise.resolve(cached);
    }
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = exchangeWithRetry(caller, scopes, key, obo).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    } else {
      obo.cacheHit(true);
    }
    return pending;
  });
}
