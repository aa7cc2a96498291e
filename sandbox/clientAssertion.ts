// Checks a `client_assertion` against a federated identity credential, as Entra does for a managed identity token.
import { createLocalJWKSet, decodeJwt, jwtVerify, type JWK } from 'jose';

/** What the app registration's federated credential trusts (issuer, subject and audience must all match). */
export interface FederatedCredential {
  readonly issuer: string;
  /** The managed identity's principal (object) id. */
  readonly subject: string;
  readonly audience: string;
}

/** Why Entra refuses the assertion: its AADSTS code and text. */
export interface AssertionRefusal {
  readonly code: number;
  readonly text: string;
}

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/**
 * Undefined when `assertion` is a token signed with one of `keys` whose issuer, subject and audience match
 * `credential` and that is valid now; otherwise Entra's refusal (AADSTS700211/700213/700212/700024/50027).
 */
export async function checkClientAssertion(assertion: string, credential: FederatedCredential, keys: readonly JWK[]): Promise<AssertionRefusal | undefined> {
  let claims;
  try {
    claims = decodeJwt(assertion);
  } catch {
    return { code: 50027, text: 'JWT token is invalid or malformed.' };
  }
  // Entra looks the credential up by issuer and subject before it checks anything else.
  if (claims.iss !== credential.issuer) return { code: 700211, text: `No matching federated identity record found for presented assertion issuer '${String(claims.iss)}'.` };
  if (claims.sub !== credential.subject) return { code: 700213, text: `No matching federated identity record found for presented assertion subject '${String(claims.sub)}'.` };
  const audiences = [claims.aud].flat();
  if (!audiences.includes(credential.audience)) return { code: 700212, text: `No matching federated identity record found for presented assertion audience '${audiences.join(',')}'.` };
  try {
    await jwtVerify(assertion, createLocalJWKSet({ keys: [...keys] }), { algorithms: ['RS256'], issuer: credential.issuer, subject: credential.subject, audience: credential.audience });
  } catch (error) {
    const expired = error instanceof Error && 'code' in error && (error.code === 'ERR_JWT_EXPIRED' || error.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED');
    return expired
      ? { code: 700024, text: 'Client assertion is not within its valid time range.' }
      : { code: 50027, text: 'JWT token failed signature validation.' };
  }
  return undefined;
}
