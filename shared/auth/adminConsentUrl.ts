// The admin consent link a `consent_required` tool error carries, in the form Entra completes.

/**
 * Where Entra sends the administrator back after consenting: a page of ours that answers without sign-in and reads
 * nothing from the query. infra/ registers `<public URL>` + this path as the server app's only reply address, without
 * which Entra ends admin consent with AADSTS900971 ("No reply address provided").
 */
export const CONSENT_REDIRECT_PATH = '/healthz';

export interface AdminConsentUrlOptions {
  readonly authorityHost: string;
  /** The tenant whose administrator consents: the caller's, since each tenant consents for itself. */
  readonly tenantId: string;
  /** The server app registration. */
  readonly clientId: string;
  /** MCP_PUBLIC_URL. Unset (local), the link names no reply address and Entra uses the one registered. */
  readonly publicUrl: URL | undefined;
}

/**
 * The tenant-wide admin consent URL for the server app's registered Graph permissions
 * (`<authority>/<tenant>/adminconsent?client_id=…&redirect_uri=…`). Throws nothing.
 */
export function adminConsentUrl(options: AdminConsentUrlOptions): string {
  const url = new URL(`${options.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/adminconsent`);
  url.searchParams.set('client_id', options.clientId);
  if (options.publicUrl !== undefined) {
    url.searchParams.set('redirect_uri', `${options.publicUrl.href.replace(/\/+$/, '')}${CONSENT_REDIRECT_PATH}`);
  }
  return url.href;
}
