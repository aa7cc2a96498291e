// The sign-in, consent, error and revocation pages: server-rendered HTML that needs no JavaScript.
import type { EntraError, ErrorIds } from './entraError.js';

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f3f3f3}
main{max-width:28rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d1d1d1;border-radius:4px}
h1{font-size:1.5rem;margin:0 0 .75rem}
p{margin:.5rem 0}
.stand-in{font-size:.875rem;color:#444;background:#fff4ce;border:1px solid #e0c060;padding:.25rem .5rem;border-radius:4px;margin:0 0 1rem}
ul.choices{list-style:none;margin:1rem 0;padding:0}
ul.choices li{margin:.5rem 0}
button{font:inherit;cursor:pointer;border-radius:4px;min-height:2.75rem}
button.account{display:block;width:100%;text-align:left;padding:.625rem .75rem;background:#fff;border:1px solid #8a8886;color:inherit}
button.account:hover{background:#f3f2f1}
.upn{display:block;font-size:.875rem;color:#444;overflow-wrap:anywhere}
.hint{font-size:.75rem;font-weight:600;color:#0b5a9e}
ul.permissions{padding-left:1.25rem}
ul.permissions code{font-size:.8125rem;color:#444}
.actions{display:flex;gap:.75rem;justify-content:flex-end;flex-wrap:wrap;margin-top:1.25rem}
.actions button{padding:.5rem 1.25rem;border:1px solid #8a8886;background:#fff;color:inherit}
.actions button.primary{background:#0b5a9e;border-color:#0b5a9e;color:#fff}
button:focus-visible,a:focus-visible{outline:3px solid #000;outline-offset:2px}
.error{border-left:4px solid #a4262c;padding-left:.75rem}
.ids{font-size:.8125rem;color:#444;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%;font-size:.875rem}
th,td{text-align:left;padding:.25rem .5rem .25rem 0;vertical-align:top;overflow-wrap:anywhere}
`;

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · onbehalf local identity provider</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="stand-in">Local identity provider of onbehalf's dev mode. Not Microsoft Entra ID: no password, sample users only.</p>
${body}
</main>
</body>
</html>
`;
}

export interface AccountChoice {
  readonly key: string;
  readonly name: string;
  readonly upn: string;
  readonly hinted: boolean;
}

export function signInPage(options: { readonly appName: string; readonly flowId: string; readonly accounts: readonly AccountChoice[] }): string {
  const accounts = options.accounts.map((account) => `<li><button class="account" type="submit" name="user" value="${escapeHtml(account.key)}"${account.hinted ? ' autofocus' : ''}>
<span class="name">${escapeHtml(account.name)}</span>${account.hinted ? ' <span class="hint">(suggested)</span>' : ''}
<span class="upn">${escapeHtml(account.upn)}</span></button></li>`).join('\n');
  return layout('Sign in', `<h1>Pick an account</h1>
<p>to continue to <strong>${escapeHtml(options.appName)}</strong></p>
<form id="sign-in" method="post" action="/login">
<input type="hidden" name="flow" value="${escapeHtml(options.flowId)}">
<ul class="choices">
${accounts}
</ul>
</form>`);
}

export interface PermissionLine {
  readonly scope: string;
  readonly words: string;
}

export function consentPage(options: { readonly appName: string; readonly userName: string; readonly userUpn: string; readonly flowId: string; readonly permissions: readonly PermissionLine[] }): string {
  const permissions = options.permissions.map((line) => `<li>${escapeHtml(line.words)} <code>${escapeHtml(line.scope)}</code></li>`).join('\n');
  return layout('Permissions requested', `<h1>Permissions requested</h1>
<p><strong>${escapeHtml(options.appName)}</strong> (unverified, local) asks for permission, for <strong>${escapeHtml(options.userName)}</strong> <span class="upn">${escapeHtml(options.userUpn)}</span></p>
<p id="permissions-heading">This app would like to:</p>
<ul class="permissions" aria-labelledby="permissions-heading">
${permissions}
</ul>
<p>Accepting means this app may use these permissions until you revoke them.</p>
<form id="consent" method="post" action="/consent">
<input type="hidden" name="flow" value="${escapeHtml(options.flowId)}">
<div class="actions">
<button type="submit" name="action" value="cancel">Cancel</button>
<button class="primary" type="submit" name="action" value="accept">Accept</button>
</div>
</form>`);
}

export function errorPage(options: { readonly error: EntraError; readonly ids: ErrorIds; readonly restartUrl?: string; readonly registeredRedirectUris?: readonly string[] }): string {
  const restart = options.restartUrl === undefined ? '' : `<p><a href="${escapeHtml(options.restartUrl)}">Sign in with another account</a></p>`;
  const registered = options.registeredRedirectUris === undefined ? '' : `<p id="registered-redirects-label">Redirect URIs registered for this application (a <code>localhost</code> or <code>127.0.0.1</code> URI matches any port):</p>
<ul aria-labelledby="registered-redirects-label">${options.registeredRedirectUris.map((uri) => `<li>${escapeHtml(uri)}</li>`).join('')}</ul>`;
  return layout('Sign-in failed', `<h1>Sorry, we could not sign you in</h1>
<div class="error" role="alert">
<p id="error-code">${escapeHtml(`AADSTS${options.error.aadsts}`)}</p>
<p>${escapeHtml(options.error.text)}</p>
</div>
${registered}${restart}
<p class="ids">Error: ${escapeHtml(options.error.error)}<br>Trace ID: ${escapeHtml(options.ids.traceId)}<br>Correlation ID: ${escapeHtml(options.ids.correlationId)}<br>Timestamp: ${escapeHtml(options.ids.timestamp)}</p>`);
}

/** Where a user enters the code a device shows (Entra's microsoft.com/devicelogin). */
export function deviceCodePage(options: { readonly error?: string } = {}): string {
  const error = options.error === undefined ? '' : `<div class="error" role="alert"><p id="error-code">${escapeHtml(options.error)}</p></div>`;
  return layout('Enter code', `<h1>Enter code</h1>
<p>Enter the code displayed on your app or device.</p>
${error}
<form id="device-code" method="post" action="/devicelogin">
<p><label for="code">Code</label><br><input id="code" type="text" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" required autofocus></p>
<div class="actions"><button class="primary" type="submit">Next</button></div>
</form>`);
}

/** The end of a device code sign-in: the device, not this browser, receives the tokens. */
export function deviceDonePage(options: { readonly appName: string }): string {
  return layout('Signed in', `<h1>You're signed in</h1>
<p id="device-signed-in">You have signed in to <strong>${escapeHtml(options.appName)}</strong> on your device. You may now close this window.</p>`);
}

/** `response_mode=form_post`: the answer posted to the client; one button, since there is no script to press it. */
export function formPostPage(action: string, params: Readonly<Record<string, string>>): string {
  const inputs = Object.entries(params).map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`).join('\n');
  return layout('Continue', `<h1>Signed in</h1>
<form id="form-post" method="post" action="${escapeHtml(action)}">
${inputs}
<div class="actions"><button class="primary" type="submit">Continue</button></div>
</form>`);
}

export interface GrantSummary {
  readonly key: string;
  readonly name: string;
  readonly upn: string;
  /** Display names of the apps the user consented to, with the scopes. */
  readonly grants: readonly string[];
}

export function revokePage(options: { readonly users: readonly GrantSummary[]; readonly csrf: string; readonly message?: string }): string {
  const rows = options.users.map((user) => `<li><form id="revoke-${escapeHtml(user.key)}" method="post" action="/dev/revoke">
<input type="hidden" name="user" value="${escapeHtml(user.key)}">
<input type="hidden" name="csrf" value="${escapeHtml(options.csrf)}">
<p><strong>${escapeHtml(user.name)}</strong> <span class="upn">${escapeHtml(user.upn)}</span></p>
<p>${user.grants.length === 0 ? 'No consents.' : escapeHtml(user.grants.join('; '))}</p>
<div class="actions"><button type="submit">Revoke ${escapeHtml(user.name)}'s consents and refresh tokens</button></div>
</form></li>`).join('\n');
  const message = options.message === undefined ? '' : `<p role="status">${escapeHtml(options.message)}</p>`;
  return layout('Revoke', `<h1>Consents and refresh tokens</h1>
${message}
<p>Revoking removes the user's consents and voids their refresh tokens and sign-in sessions. Access tokens already issued stay valid until they expire, as with Entra.</p>
<ul class="choices">
${rows}
</ul>`);
}

export interface HomeApp {
  readonly name: string;
  readonly clientId: string;
  readonly kind: string;
  readonly redirectUris: readonly string[];
}

export function homePage(options: { readonly discoveryUrls: readonly string[]; readonly apps: readonly HomeApp[]; readonly users: readonly { name: string; upn: string; tid: string; roles: readonly string[] }[] }): string {
  const apps = options.apps.map((app) => `<tr><td>${escapeHtml(app.name)}<br><code>${escapeHtml(app.clientId)}</code></td><td>${escapeHtml(app.kind)}</td><td>${app.redirectUris.map(escapeHtml).join('<br>') || '-'}</td></tr>`).join('\n');
  const users = options.users.map((user) => `<li>${escapeHtml(user.name)} <span class="upn">${escapeHtml(user.upn)} (tenant ${escapeHtml(user.tid)})</span> app roles: ${user.roles.length === 0 ? 'none' : user.roles.map((role) => `<code>${escapeHtml(role)}</code>`).join(', ')}</li>`).join('\n');
  return layout('Local identity provider', `<h1>Local identity provider</h1>
<p>OpenID Connect discovery:</p>
<ul>${options.discoveryUrls.map((url) => `<li><code>${escapeHtml(url)}</code></li>`).join('')}</ul>
<p>App registrations:</p>
<table><thead><tr><th>app</th><th>type</th><th>redirect URIs (loopback: any port)</th></tr></thead><tbody>
${apps}
</tbody></table>
<p>Sample users:</p>
<ul>${users}</ul>
<p><a href="/dev/revoke">Revoke a user's consents and refresh tokens</a></p>`);
}
