// Client authentication at the token endpoint: client_secret_post, client_secret_basic, a federated client assertion, or none for public clients.
import { timingSafeEqual } from 'node:crypto';
import type { JWK } from 'jose';
import { checkClientAssertion, JWT_BEARER_ASSERTION_TYPE } from '../clientAssertion.js';
import { EntraError } from './entraError.js';
import type { AppRegistration, Registrations } from './registrations.js';

export interface AuthenticatedClient {
  readonly app: AppRegistration;
  /** `1` when a secret proved the client, `2` a client assertion (Entra's `azpacr`), `0` for a public client. */
  readonly clientAuth: '0' | '1' | '2';
}

/** application/x-www-form-urlencoded decoding, which RFC 6749 §2.3.1 applies to Basic credentials. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Authenticates the client of a token request. Throws `EntraError`: `invalid_request` (AADSTS900144 no
 * client_id, AADSTS9002313 credentials sent twice), `unauthorized_client` (AADSTS700016 unknown app),
 * `invalid_client` (AADSTS7000218 no secret, AADSTS7000215 wrong secret, AADSTS700025 secret from a public client,
 * and for a client assertion the federated credential's refusals: AADSTS700211/700212/700213/700024/50027).
 */
export async function authenticateClient(authorization: string | undefined, form: URLSearchParams, registrations: Registrations, tenantPath: string, keys: readonly JWK[]): Promise<AuthenticatedClient> {
  let clientId = form.get('client_id') ?? undefined;
  let secret = form.get('client_secret') ?? undefined;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (basic !== null) {
    if (secret !== undefined) throw new EntraError(400, 'invalid_request', 9002313, 'Invalid request. The client credential was sent both in the Authorization header and in the body.');
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const basicId = formDecode(colon < 0 ? decoded : decoded.slice(0, colon));
    if (clientId !== undefined && clientId !== basicId) throw new EntraError(400, 'invalid_request', 9002313, 'Invalid request. client_id in the body does not match the Authorization header.');
    clientId = basicId;
    secret = colon < 0 ? '' : formDecode(decoded.slice(colon + 1));
  }
  if (clientId === undefined || clientId === '') throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const app = registrations.byClientId(clientId);
  if (app === undefined) {
    throw new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantPath}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
  }
  if (form.get('client_assertion_type') === JWT_BEARER_ASSERTION_TYPE) {
    if (secret !== undefined) throw new EntraError(400, 'invalid_request', 9002313, 'Invalid request. Both a client assertion and a client secret were presented.');
    const refusal = app.federatedCredential === undefined
      ? { code: 700211, text: 'No matching federated identity record found for presented assertion.' }
      : await checkClientAssertion(form.get('client_assertion') ?? '', app.federatedCredential, keys);
    if (refusal !== undefined) throw new EntraError(401, 'invalid_client', refusal.code, refusal.text);
    return { app, clientAuth: '2' };
  }
  if (app.clientSecret === undefined) {
    if (secret !== undefined) throw new EntraError(401, 'invalid_client', 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.");
    return { app, clientAuth: '0' };
  }
  if (secret === undefined || secret === '') throw new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  if (!sameSecret(secret, app.clientSecret)) {
    throw new EntraError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`);
  }
  return { app, clientAuth: '1' };
}
