// A TokenCredential for the Azure Monitor exporter from msal-node's managed identity support (no @azure/identity needed).
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ManagedIdentityApplication } from '@azure/msal-node';

/** Tokens without an expiry are kept this long (MSAL caches them; the exporter asks again when they expire). */
const FALLBACK_LIFETIME_MS = 5 * 60_000;

/**
 * The exporter asks for `<audience>/.default` (from the connection string's AADAudience, else Azure Monitor's);
 * a managed identity token is requested for that resource, user-assigned when `clientId` is set.
 */
export function managedIdentityCredential(clientId: string | undefined): TokenCredential {
  const application = new ManagedIdentityApplication(clientId === undefined ? {} : { managedIdentityIdParams: { userAssignedClientId: clientId } });
  return {
    getToken: async (scopes): Promise<AccessToken> => {
      const scope = (Array.isArray(scopes) ? scopes[0] : scopes) ?? '';
      const result = await application.acquireToken({ resource: scope.replace(/\/\.default$/, '') });
      return { token: result.accessToken, expiresOnTimestamp: result.expiresOn?.getTime() ?? Date.now() + FALLBACK_LIFETIME_MS };
    },
  };
}
