// The dev Foundry project's agent identity: the app-only token a hosted agent's container gets from the platform, as Entra mints it.
import { randomUUID } from 'node:crypto';
import { DEV_TENANT_ID } from '../../shared/config/devDefaults.js';

/** The audience of Foundry's data plane (the toolbox's MCP endpoint among it): tokens asked for with `https://ai.azure.com/.default`. */
export const FOUNDRY_AUDIENCE = 'https://ai.azure.com';

/** The dev project's agent identity (an Entra agent identity is a service principal: an app id and an object id). */
export const DEV_AGENT_IDENTITY = {
  clientId: 'c7d8e9f0-1a2b-4c3d-8e4f-5a6b7c8d9e01',
  principalId: 'd8e9f0a1-2b3c-4d4e-9f5a-6b7c8d9e0f12',
  tenantId: DEV_TENANT_ID,
} as const;

/** `https://ai.azure.com`, `https://ai.azure.com/` and the `.default` scope all name the one resource. */
export function isFoundryResource(resource: string): boolean {
  return [FOUNDRY_AUDIENCE, `${FOUNDRY_AUDIENCE}/`, `${FOUNDRY_AUDIENCE}/.default`].includes(resource);
}

/** An app-only v2 token of the agent identity for Foundry: no user, no `scp` (`idtyp=app`). */
export function agentIdentityClaims(issuer: string, now: number, lifetimeSeconds: number): Record<string, unknown> {
  return {
    aud: FOUNDRY_AUDIENCE,
    iss: issuer,
    iat: now,
    nbf: now,
    exp: now + lifetimeSeconds,
    azp: DEV_AGENT_IDENTITY.clientId,
    azpacr: '2',
    idtyp: 'app',
    oid: DEV_AGENT_IDENTITY.principalId,
    sub: DEV_AGENT_IDENTITY.principalId,
    tid: DEV_AGENT_IDENTITY.tenantId,
    uti: randomUUID(),
    ver: '2.0',
  };
}
