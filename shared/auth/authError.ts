// The error every caller-authentication failure raises, with a typed code that `challenge` turns into HTTP.

export type AuthErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_too_large'
  | 'algorithm_not_allowed'
  | 'key_unknown'
  | 'signature_invalid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'issuer_invalid'
  | 'tenant_not_allowed'
  | 'tenant_mismatch'
  | 'audience_invalid'
  | 'scope_missing'
  | 'app_only_caller'
  | 'client_app_not_allowed'
  | 'jwks_unavailable'
  | 'assertion_refused'
  | 'claims_challenge'
  | 'consent_required'
  | 'entra_unavailable';

export interface AuthErrorOptions {
  cause?: unknown;
  /** Tenant from the (unverified) token, for logs. */
  tenantId?: string | undefined;
  /** SHA-256 of the token's `jti`, for logs. */
  jtiHash?: string | undefined;
  /** Base64 claims challenge from Entra, for `claims_challenge`. */
  claims?: string | undefined;
  /** Entra's correlation id, for `entra_unavailable` and support requests. */
  correlationId?: string | undefined;
  /** Where an administrator grants consent, for `consent_required`. */
  consentUrl?: string | undefined;
  /** The verified token's client app (`azp`), for `client_app_not_allowed`. */
  clientAppId?: string | undefined;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  readonly code: AuthErrorCode;
  readonly tenantId: string | undefined;
  readonly jtiHash: string | undefined;
  readonly claims: string | undefined;
  readonly correlationId: string | undefined;
  readonly consentUrl: string | undefined;
  readonly clientAppId: string | undefined;

  constructor(code: AuthErrorCode, message: string, options: AuthErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.tenantId = options.tenantId;
    this.jtiHash = options.jtiHash;
    this.claims = options.claims;
    this.correlationId = options.correlationId;
    this.consentUrl = options.consentUrl;
    this.clientAppId = options.clientAppId;
  }
}
