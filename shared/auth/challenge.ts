// The one place an AuthError becomes an HTTP answer: RFC 6750 / RFC 9728 challenges.
import type { AuthError} from './authError.js';
import { type AuthErrorCode } from './authError.js';

export interface ChallengeOptions {
  /** Absolute URL of our protected resource metadata. */
  readonly resourceMetadataUrl: string;
  /** The scope a client must request, e.g. `api://<clientId>/access_as_user`. */
  readonly scope: string;
  /** The id of the JSON-RPC request refused, once the body has been read; else the answer's id is null. */
  readonly requestId?: string | number | null;
}

/** JSON-RPC error code for authentication/authorization refusals (implementation-defined range). */
export const AUTH_RPC_ERROR = -32001;

const FORBIDDEN: ReadonlySet<AuthErrorCode> = new Set(['scope_missing']);
const UNAVAILABLE: ReadonlySet<AuthErrorCode> = new Set(['jwks_unavailable']);
/**
 * Refusals no new token can cure: 403 without a challenge. Signing in again through the same client app would
 * give a token with the same `azp`, and an `insufficient_scope` challenge would send clients after more scopes.
 */
const NO_CHALLENGE: ReadonlySet<AuthErrorCode> = new Set(['client_app_not_allowed']);

/** Quotes a value for an auth-param (RFC 9110 quoted-string). */
function quote(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ')}"`;
}

/** Builds the HTTP answer for a refused caller, with `WWW-Authenticate` wherever a new token could help. */
export function challenge(error: AuthError, options: ChallengeOptions): Response {
  const params: [string, string][] = [
    ['resource_metadata', options.resourceMetadataUrl],
    ['scope', options.scope],
  ];
  let status = 401;
  const headers = new Headers({ 'content-type': 'application/json' });
  if (UNAVAILABLE.has(error.code)) {
    status = 503;
    headers.set('retry-after', '30');
  } else if (NO_CHALLENGE.has(error.code)) {
    status = 403;
  } else if (FORBIDDEN.has(error.code)) {
    status = 403;
    params.push(['error', 'insufficient_scope'], ['error_description', error.message]);
  } else if (error.code === 'claims_challenge' && error.claims !== undefined) {
    params.push(['error', 'insufficient_claims'], ['error_description', error.message], ['claims', error.claims]);
  } else if (error.code !== 'token_missing') {
    params.push(['error', 'invalid_token'], ['error_description', error.message]);
  }
  if (status !== 503 && !NO_CHALLENGE.has(error.code)) headers.set('www-authenticate', `Bearer ${params.map(([name, value]) => `${name}=${quote(value)}`).join(', ')}`);
  const body = {
    jsonrpc: '2.0',
    error: { code: AUTH_RPC_ERROR, message: error.message, data: { code: error.code } },
    id: options.requestId ?? null,
  };
  return new Response(JSON.stringify(body), { status, headers });
}
