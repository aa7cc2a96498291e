// A tenant's own MCP resource admits that tenant's users only.
import { AuthError } from './authError.js';
import type { VerifyAccessToken } from './verifyAccessToken.js';

/**
 * Verifies as `verify` does, then refuses a caller whose token is not from `tenant` with `AuthError`
 * `tenant_mismatch` (401): the resource's metadata sent its clients to that tenant's authority, so a
 * token from another one was meant for another resource. The allow list still decides who may call at all.
 */
export function requireTenant(verify: VerifyAccessToken, tenant: string): VerifyAccessToken {
  return async (token) => {
    const caller = await verify(token);
    if (caller.identity.tid.toLowerCase() !== tenant) {
      throw new AuthError('tenant_mismatch', `This endpoint serves users of tenant ${tenant} only; sign in at that tenant, or use /mcp`, { tenantId: caller.identity.tid });
    }
    return caller;
  };
}
