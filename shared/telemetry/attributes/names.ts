// Every span attribute, metric and log record name the server emits, in one place: the workbook and the README's KQL query these.

/**
 * OpenTelemetry semantic conventions (MCP and GenAI: development status; HTTP, error, server: stable).
 * Azure Monitor maps `error.type`, `http.*`, `server.*` and `enduser.id` to its own columns and drops
 * them from customDimensions, which is why the typed error code is also written as `onbehalf.error.code`.
 */
export const ATTR = {
  mcpMethodName: 'mcp.method.name',
  mcpProtocolVersion: 'mcp.protocol.version',
  jsonRpcRequestId: 'jsonrpc.request.id',
  genAiOperationName: 'gen_ai.operation.name',
  genAiToolName: 'gen_ai.tool.name',
  networkProtocolName: 'network.protocol.name',
  networkTransport: 'network.transport',
  httpRequestMethod: 'http.request.method',
  httpResponseStatusCode: 'http.response.status_code',
  httpResendCount: 'http.request.resend_count',
  urlTemplate: 'url.template',
  serverAddress: 'server.address',
  errorType: 'error.type',
  endUserId: 'enduser.id',
  dbSystemName: 'db.system.name',
  dbCollectionName: 'db.collection.name',
  dbOperationName: 'db.operation.name',
  dbResponseStatusCode: 'db.response.status_code',
  /** `ok`, `tool_error`, `refused` (401/403/429), `invalid` (other 4xx) or `error` (5xx). */
  outcome: 'onbehalf.outcome',
  errorCode: 'onbehalf.error.code',
  tenantId: 'onbehalf.tenant.id',
  userOid: 'onbehalf.user.oid',
  /** The server's own id for one MCP request: what tool errors and audit rows quote. */
  correlationId: 'onbehalf.correlation_id',
  batchSize: 'onbehalf.mcp.batch_size',
  authCached: 'onbehalf.auth.cached',
  oboCache: 'onbehalf.obo.cache',
  oboScopes: 'onbehalf.obo.scopes',
  aadsts: 'onbehalf.entra.aadsts',
  entraCorrelationId: 'onbehalf.entra.correlation_id',
  graphRequestId: 'onbehalf.graph.request_id',
  graphClientRequestId: 'onbehalf.graph.client_request_id',
  /** Why the tool policy refused a call: `read_only`, `client_app` or `role`. */
  policyReason: 'onbehalf.policy.reason',
  graphErrorCode: 'onbehalf.graph.error_code',
} as const;

/** The metrics, with the attributes each carries. */
export const METRIC = {
  /** Histogram (s) per MCP HTTP request: mcp.method.name, gen_ai.tool.name, error.type, onbehalf.outcome. */
  operationDuration: 'mcp.server.operation.duration',
  /** Counter per tools/call: gen_ai.tool.name, onbehalf.outcome, onbehalf.error.code. */
  toolCalls: 'onbehalf.tool.calls',
  /** Counter per On-Behalf-Of token request: onbehalf.obo.cache (hit/miss), onbehalf.outcome, onbehalf.error.code, onbehalf.entra.aadsts. */
  oboExchanges: 'onbehalf.obo.exchanges',
  /** Counter of 401/403/429 answers: http.response.status_code, onbehalf.error.code, onbehalf.tenant.id when the caller was verified. */
  refusals: 'onbehalf.refusals',
  /** Counter of Graph 429/503/504 answers, retried or not: http.response.status_code, url.template, onbehalf.tenant.id. */
  graphThrottled: 'onbehalf.graph.throttled',
  /** Counter of Table Storage operations that failed (not 404/409/412): db.collection.name, db.operation.name, onbehalf.error.code. */
  tableFailures: 'onbehalf.table.failures',
  /** Counter of audit rows that could not be written: gen_ai.tool.name, onbehalf.error.code. */
  auditUnwritten: 'onbehalf.audit.unwritten',
  /** Counter of tool calls the tool policy refused: gen_ai.tool.name, onbehalf.policy.reason, onbehalf.tenant.id. */
  policyRefusals: 'onbehalf.policy.refusals',
} as const;

/** Log record bodies (the `message` column of Application Insights' traces table) the queries rely on. */
export const RECORD = {
  /** Once per caller per hour per instance: onbehalf.tenant.id, onbehalf.user.oid. */
  callerActive: 'caller active',
  /** An On-Behalf-Of exchange failed: tenant, oid, code, AADSTS number, Entra's correlation id. */
  oboFailed: 'obo exchange failed',
} as const;

/** The name spans and metrics are recorded under (instrumentation scope). */
export const SCOPE_NAME = 'onbehalf';
