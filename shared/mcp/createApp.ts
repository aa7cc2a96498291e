// Wires configuration into the three HTTP handlers both the Functions triggers and the local host serve.
import { randomUUID } from 'node:crypto';
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
import { createTableAuditLog } from '../audit/tableAuditLog.js';
import type { ChallengeOptions } from '../auth/challenge.js';
import { loadMsal } from '../auth/msal.js';
import { createOnBehalfOf } from '../auth/onBehalfOf.js';
import { requireTenant } from '../auth/requireTenant.js';
import { createTokenVerifier } from '../auth/verifyAccessToken.js';
import type { Config } from '../config/parseConfig.js';
import { createDocuments, type DocumentsOptions } from '../documents/documents.js';
import { createGraphFactory } from '../graph/createGraph.js';
import { loadGraphClient } from '../graph/graphClient.js';
import { corsHeaders, preflight } from '../http/cors.js';
import { HttpError } from '../http/httpError.js';
import { createRefusalBudget } from '../http/refusalBudget.js';
import { guardRequest } from '../http/requestGuard.js';
import { createAuditAllowance } from '../limits/auditAllowance.js';
import { createTableRateLimiter } from '../limits/tableRateLimiter.js';
import type { Logger } from '../log/logger.js';
import { createLogThrottle } from '../log/logThrottle.js';
import { createToolPolicy } from '../policy/toolPolicy.js';
import { createStateSeal } from '../requestState/stateSeal.js';
import { createTableStateStore } from '../requestState/tableStateStore.js';
import { createTableClients } from '../tables/tableClients.js';
import { loadTablesSdk } from '../tables/tablesSdk.js';
import { traceMcpRequest, type McpRequestTelemetry } from '../telemetry/spans/mcpRequest.js';
import { createToolCatalog } from '../tools/catalog.js';
import { countsAgainstRefusalBudget, errorResponse } from './errorResponse.js';
import { handleMcpRequest, type McpHandlerDependencies, type Reply } from './handleMcpRequest.js';
import { protectedResourceMetadata, requiredScopeUri } from './protectedResourceMetadata.js';
import { purgeExpiredState, type PurgeResult } from './purgeExpiredState.js';
import { publicBase } from './publicBase.js';
import { MCP_RESOURCE, mcpResourceAt, metadataResourceAt, RESOURCE_METADATA_PATH, type McpResource } from './resourcePath.js';
import { SERVER_VERSION } from './serverInfo.js';
import { createModernLeg } from './serveModern.js';

export type Handler = (request: Request, log: Logger) => Promise<Response>;

export type { PurgeResult };

export interface App {
  /** `/mcp` and `/tenants/<tenant id>/mcp`. */
  readonly mcp: Handler;
  /** Every `/.well-known/` path: RFC 9728 metadata of each MCP resource, a 404 readable cross-origin for any other. */
  readonly protectedResourceMetadata: Handler;
  readonly health: Handler;
  /** Deletes the counters of past rate-limit windows and the multi-round states never used (the timer trigger's job). */
  readonly purge: () => Promise<PurgeResult>;
}

export interface AppOptions {
  /** Least time between JWKS refetches caused by unknown `kid`s (default 30 s). */
  readonly jwksCooldownMs?: number;
  /** The clock of rate-limit windows and refusal budgets (milliseconds since the epoch). */
  readonly now?: () => number;
  /** Deadline of each Table Storage operation (default `TABLE_DEADLINE_MS`). */
  readonly tableDeadlineMs?: number;
  /** Requests with a forged or malformed token (or for a host or origin not served) per client address per minute before that address's such refusals are 429 (default 120; 0: off). */
  readonly refusalsPerMinute?: number;
  /** Document conversions: workers, their time and memory limits, the queue (defaults in shared/documents/documents.ts). */
  readonly documents?: DocumentsOptions;
}

const NO_STORE = { 'cache-control': 'no-store' };
/** Audit rows one user's over-budget write calls may add per minute on one instance. */
const REFUSAL_ROWS_PER_MINUTE = 60;

function json(body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json', ...headers } });
}

export function createApp(config: Config, options: AppOptions = {}): App {
  const now = options.now ?? Date.now;
  const tables = createTableClients({
    connection: config.tables,
    managedIdentityClientId: config.credential.kind === 'managedIdentity' ? config.credential.clientId : undefined,
    prefix: config.tablesPrefix,
    deadlineMs: options.tableDeadlineMs,
  });
  const limiter = createTableRateLimiter({ tables, tenantPerMinute: config.rateLimit.tenantPerMinute, userPerMinute: config.rateLimit.userPerMinute, now });
  const limitsOn = config.rateLimit.tenantPerMinute > 0 || config.rateLimit.userPerMinute > 0;
  const catalog = createToolCatalog(config.graphScopesGranted, config.toolsets);
  const states = createTableStateStore(tables, now);
  const deps: McpHandlerDependencies = {
    guard: { publicUrl: config.publicUrl, allowedOrigins: config.allowedOrigins },
    verifyAccessToken: createTokenVerifier({
      authorityHost: config.authorityHost,
      tenantId: config.tenantId,
      allowedTenants: config.allowedTenants,
      audiences: config.audiences,
      requiredScope: config.requiredScope,
      allowedClientApps: config.policy.allowedClientApps,
      ...(options.jwksCooldownMs !== undefined && { jwksCooldownMs: options.jwksCooldownMs }),
    }),
    catalog,
    policy: createToolPolicy(config.policy, [...catalog.tools.values()]),
    validator: new CfWorkerJsonSchemaValidator(),
    modern: createModernLeg(),
    limiter: limitsOn ? limiter : undefined,
    refusalAudit: createAuditAllowance(REFUSAL_ROWS_PER_MINUTE, now),
    requestTimeoutMs: config.requestTimeoutMs,
    audit: createTableAuditLog(tables, catalog.tools),
    ask: {
      confirmWrites: config.ask.confirmWrites,
      seal: config.ask.stateKeys === undefined ? undefined : createStateSeal(config.ask.stateKeys),
      states,
    },
    documents: createDocuments(options.documents),
    graphFor: createGraphFactory({
      baseUrl: config.graphBaseUrl,
      acquireToken: createOnBehalfOf({ authorityHost: config.authorityHost, tenantId: config.tenantId, clientId: config.clientId, credential: config.credential, publicUrl: config.publicUrl }),
    }),
  };
  // Per instance, in memory and bounded: refusals must not cost a Table operation each.
  const refusals = createRefusalBudget({ perMinute: options.refusalsPerMinute ?? 120, now, source: config.clientAddressSource });
  const refusalLog = createLogThrottle({ now });
  // The challenge of a resource points at that resource's own metadata, so a client signs in at its authority.
  const challengeFor = (request: Request, resource: McpResource = MCP_RESOURCE): ChallengeOptions => ({
    resourceMetadataUrl: `${publicBase(request, config.publicUrl)}${RESOURCE_METADATA_PATH}${resource.path}`,
    scope: requiredScopeUri(config),
  });
  const nowhere = () => new HttpError('not_found', 'There is nothing at this path');
  // A tenant's resource admits that tenant's users only (a new object per such request, nothing cached per tenant).
  const depsFor = (resource: McpResource): McpHandlerDependencies => (resource.tenant === undefined
    ? deps
    : { ...deps, verifyAccessToken: requireTenant(deps.verifyAccessToken, resource.tenant) });

  const serveMcp = async (request: Request, log: Logger, correlationId: string, telemetry: McpRequestTelemetry): Promise<Response> => {
    const reply: Reply = { headers: new Headers(corsHeaders(request, deps.guard)), id: null };
    const resource = mcpResourceAt(new URL(request.url).pathname);
    let response: Response;
    try {
      if (resource === undefined) {
        guardRequest(request, deps.guard);
        throw nowhere();
      }
      response = request.method === 'OPTIONS'
        ? preflight(request, deps.guard, 'POST')
        : await handleMcpRequest(request, log, depsFor(resource), reply, correlationId);
    } catch (error) {
      // Over its address's budget, a forged or malformed token's refusal is answered 429 in its stead: the
      // caller is told to stop, and the log throttle sees one code, not each token's own.
      const overBudget = countsAgainstRefusalBudget(error) ? refusals.record(request) : undefined;
      telemetry.fail(overBudget ?? error);
      response = errorResponse(overBudget ?? error, log, { ...challengeFor(request, resource), requestId: reply.id }, refusalLog, correlationId);
    }
    // Our responses are built with `new Response`, so their headers are ours to add to.
    reply.headers.forEach((value, name) => response.headers.set(name, value));
    return response;
  };

  // MSAL, the Tables SDK and the Graph client load on first use, which on a cold instance is a tool call's token
  // exchange, its first Table operation and its Graph request. The first MCP request starts all three loading at
  // once, so they are compiled while it waits on the network (the signing keys, Table Storage) rather than in turn
  // on its path. With budgets on, every request's first Table operation is on the rate limit table: it is created
  // (with the storage token fetched) while the request's signing keys are, not after them. Once per instance,
  // whoever sends the first request.
  let preloading = false;
  const preload = () => {
    if (preloading) return;
    preloading = true;
    // A failure to load is the first user's to report, with its own request.
    loadMsal().catch(() => undefined);
    loadTablesSdk().catch(() => undefined);
    loadGraphClient().catch(() => undefined);
    if (limitsOn) tables.prepare('RateLimits').catch(() => undefined);
  };

  return {
    // One span per request (its children: token verification, OBO, Graph, Table Storage), and its metrics. The
    // correlation id is the server's own: a caller's traceparent chooses the trace id, never this.
    mcp: (request, log) => {
      preload();
      const correlationId = randomUUID();
      return traceMcpRequest({ httpMethod: request.method, correlationId }, (telemetry) => serveMcp(request, log, correlationId, telemetry));
    },
    protectedResourceMetadata: async (request, log) => {
      let response: Response;
      try {
        if (request.method === 'OPTIONS') return preflight(request, deps.guard, 'GET');
        guardRequest(request, deps.guard);
        if (request.method !== 'GET') throw new HttpError('method_not_allowed', 'Use GET', { headers: { allow: 'GET' } });
        const resource = metadataResourceAt(new URL(request.url).pathname);
        // Not ours to describe: Entra ID is the authorization server, and its metadata is at its authority.
        if (resource === undefined) throw new HttpError('not_found', `No such document here; this server's resource metadata is at ${RESOURCE_METADATA_PATH}/mcp`);
        response = json(protectedResourceMetadata(publicBase(request, config.publicUrl), config, resource), { 'cache-control': 'public, max-age=3600', vary: 'Origin' });
      } catch (error) {
        response = errorResponse(error, log, challengeFor(request), refusalLog);
      }
      for (const [name, value] of Object.entries(corsHeaders(request, deps.guard))) response.headers.set(name, value);
      return response;
    },
    health: async () => json({ status: 'ok', version: SERVER_VERSION }, NO_STORE),
    purge: () => purgeExpiredState(limiter, states, now()),
  };
}
