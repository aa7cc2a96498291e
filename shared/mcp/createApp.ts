// Wires configuration into the three HTTP handlers both the Functions triggers and the local host serve.
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { ChallengeOptions } from '../auth/challenge.js';
import { createOnBehalfOf } from '../auth/onBehalfOf.js';
import { createTokenVerifier } from '../auth/verifyAccessToken.js';
import type { Config } from '../config/parseConfig.js';
import { createGraphFactory } from '../graph/createGraph.js';
import { HttpError } from '../http/httpError.js';
import { guardRequest } from '../http/requestGuard.js';
import type { Logger } from '../log/logger.js';
import { createToolCatalog } from '../tools/catalog.js';
import { errorResponse } from './errorResponse.js';
import { handleMcpRequest, type McpHandlerDependencies } from './handleMcpRequest.js';
import { protectedResourceMetadata, requiredScopeUri } from './protectedResourceMetadata.js';
import { publicBase, RESOURCE_METADATA_PATH } from './publicBase.js';
import { SERVER_VERSION } from './serverInfo.js';

export type Handler = (request: Request, log: Logger) => Promise<Response>;

export interface App {
  readonly mcp: Handler;
  readonly protectedResourceMetadata: Handler;
  readonly health: Handler;
}

export interface AppOptions {
  /** Least time between JWKS refetches caused by unknown `kid`s (default 30 s). */
  readonly jwksCooldownMs?: number;
}

const NO_STORE = { 'cache-control': 'no-store' };

function json(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const deps: McpHandlerDependencies = {
    guard: { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins },
    verifyAccessToken: createTokenVerifier({
      authorityHost: config.authorityHost,
      tenantId: config.tenantId,
      allowedTenants: config.allowedTenants,
      audiences: config.audiences,
      requiredScope: config.requiredScope,
      ...(options.jwksCooldownMs !== undefined && { jwksCooldownMs: options.jwksCooldownMs }),
    }),
    catalog: createToolCatalog(config.graphScopesGranted),
    validator: new AjvJsonSchemaValidator(),
    graphFor: createGraphFactory({
      baseUrl: config.graphBaseUrl,
      acquireToken: createOnBehalfOf({ authorityHost: config.authorityHost, tenantId: config.tenantId, clientId: config.clientId, credential: config.credential }),
    }),
  };
  const challengeFor = (request: Request): ChallengeOptions => ({
    resourceMetadataUrl: `${publicBase(request, config.publicUrl)}${RESOURCE_METADATA_PATH}/mcp`,
    scope: requiredScopeUri(config),
  });

  return {
    mcp: async (request, log) => {
      try {
        return await handleMcpRequest(request, log, deps);
      } catch (error) {
        return errorResponse(error, log, challengeFor(request));
      }
    },
    protectedResourceMetadata: async (request, log) => {
      try {
        guardRequest(request, deps.guard);
        if (request.method !== 'GET') throw new HttpError('method_not_allowed', 'Use GET', { headers: { allow: 'GET' } });
        return json(protectedResourceMetadata(publicBase(request, config.publicUrl), config), { 'cache-control': 'public, max-age=3600' });
      } catch (error) {
        return errorResponse(error, log, challengeFor(request));
      }
    },
    health: async () => json({ status: 'ok', version: SERVER_VERSION }, NO_STORE),
  };
}
