// The device code flow as Entra v2 runs it: the device asks for a code, the user enters it on a page in any browser and signs in there.
import { html, json, type Answer } from './answer.js';
import { checkTenantPath, signInFor, type AuthorizeContext } from './authorize.js';
import { EntraError } from './entraError.js';
import { deviceCodePage } from './pages.js';
import { parseScopes } from './scopes.js';

export interface DeviceCodeContext extends AuthorizeContext {
  /** Where users enter the code (`<provider>/devicelogin`). */
  readonly verificationUri: string;
  /** How long a device waits between polls. */
  readonly deviceCodeIntervalSeconds: number;
}

/**
 * POST /{tenant}/oauth2/v2.0/devicecode. Only public clients may use the flow, as with Entra's "Allow public
 * client flows". Throws `EntraError` `invalid_request` (AADSTS90002, AADSTS900144), `unauthorized_client`
 * (AADSTS700016), `invalid_client` (AADSTS7000218) and the scope errors of `parseScopes`.
 */
export function deviceCodeRequest(ctx: DeviceCodeContext, tenantPath: string, form: URLSearchParams): Answer {
  checkTenantPath(tenantPath, ctx.tenants);
  const clientId = form.get('client_id');
  if (clientId === null || clientId === '') throw new EntraError(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
  const app = ctx.registrations.byClientId(clientId);
  if (app === undefined) {
    throw new EntraError(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantPath}'.`);
  }
  if (app.clientSecret !== undefined) {
    throw new EntraError(401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
  }
  const scopes = parseScopes(form.get('scope'), ctx.registrations.server);
  const device = ctx.store.startDeviceAuthorization({ clientId: app.clientId, tenantPath, scopes });
  const expiresIn = Math.round((device.expiresAt - ctx.now()) / 1000);
  return json(200, {
    user_code: device.userCode,
    device_code: device.deviceCode,
    verification_uri: ctx.verificationUri,
    expires_in: expiresIn,
    interval: ctx.deviceCodeIntervalSeconds,
    message: `To sign in, use a web browser to open the page ${ctx.verificationUri} and enter the code ${device.userCode} to authenticate.`,
  });
}

/** GET /devicelogin */
export function deviceLoginPage(): Answer {
  return html(200, deviceCodePage());
}

/** POST /devicelogin: the code the user typed; a known one leads to the sign-in page, as the authorization endpoint does. */
export function deviceLogin(ctx: DeviceCodeContext, form: URLSearchParams, browser: string): Answer {
  const device = ctx.store.deviceByUserCode(form.get('code') ?? '');
  const app = device === undefined ? undefined : ctx.registrations.byClientId(device.clientId);
  if (device === undefined || app === undefined) {
    return html(400, deviceCodePage({ error: "That code didn't work. Check the code and try again: it may have expired or been used." }));
  }
  return signInFor(ctx, app, {
    tenantPath: device.tenantPath,
    clientId: device.clientId,
    redirectUri: '',
    redirectType: 'publicClient',
    responseMode: 'query',
    state: undefined,
    nonce: undefined,
    scopes: device.scopes,
    codeChallenge: undefined,
    codeChallengeMethod: undefined,
    loginHint: undefined,
    prompt: undefined,
    query: '',
    deviceCode: device.deviceCode,
  }, browser);
}
