// Reads the bearer token from an Authorization header, refusing anything that is not one.
import { AuthError } from './authError.js';

/** Entra access tokens are a few KiB; anything this large is not one of them. */
export const MAX_TOKEN_BYTES = 16 * 1024;

/**
 * The token of an `Authorization: Bearer <token>` header. Throws `AuthError` `token_missing`
 * (no header, another scheme, or an empty token) or `token_too_large`.
 */
export function bearerToken(authorization: string | null): string {
  if (authorization === null || authorization.trim() === '') {
    throw new AuthError('token_missing', 'Send an access token for this server in the Authorization header');
  }
  const match = /^Bearer[ \t]+(\S*)\s*$/i.exec(authorization);
  if (match === null) {
    throw new AuthError('token_missing', 'The Authorization header must use the Bearer scheme');
  }
  const token = match[1] ?? '';
  if (token === '') throw new AuthError('token_missing', 'The Bearer token is empty');
  if (token.length > MAX_TOKEN_BYTES) throw new AuthError('token_too_large', `The bearer token is larger than ${MAX_TOKEN_BYTES} bytes`);
  return token;
}
