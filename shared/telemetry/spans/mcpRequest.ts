// The span of one MCP HTTP request (`tools/call list_events`), what it learns as the request is handled, and its metrics.
import { context, createContextKey, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { errorFacts, typedCode } from '../attributes/errorFacts.js';
import { describeMcpMessage, OTHER, toolNameOf, type KnownTools } from '../attributes/mcpMessage.js';
import { ATTR } from '../attributes/names.js';
import { noteActiveCaller } from '../logs/activeCallers.js';
import { outcomeForStatus, recordOperation, recordRefusal, recordToolCall, type Outcome } from '../metrics/recorders.js';
import { telemetryActive } from '../start/activation.js';
import { serverTracer } from './tracer.js';
import { markFailed, setSpanAttributes } from './withSpan.js';

export interface McpRequestStart {
  /** POST, DELETE, GET... */
  readonly httpMethod: string;
  /** The server's own id for the request (tool errors and audit rows quote it); the span carries it so it leads here. */
  readonly correlationId?: string;
}

/** Tenant id and object id: all telemetry says about who called. */
export interface CallerIds {
  readonly tid: string;
  readonly oid: string;
}

/** What the request handler tells the request's span as it learns it; every method is cheap and never throws. */
export interface McpRequestTelemetry {
  /** The verified caller. */
  caller(identity: CallerIds): void;
  /** The parsed JSON-RPC body: the span is renamed `{method} {tool}`; unknown methods and tools are `_OTHER`. */
  message(body: unknown, protocolVersion: string, tools: KnownTools): void;
  /** The failure the answer was built from (its typed code is the span's `error.type`). */
  fail(error: unknown): void;
}

const NOOP_REQUEST: McpRequestTelemetry = { caller: () => {}, message: () => {}, fail: () => {} };

const REQUEST = createContextKey('onbehalf mcp request');
// A method outside these is `_OTHER`: a client must not be able to name the span.
const HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PUT', 'PATCH']);

class RecordedRequest implements McpRequestTelemetry {
  private readonly started = performance.now();
  private method = OTHER;
  private tool: string | undefined;
  private tenantId: string | undefined;
  private code: string | undefined;
  private toolOutcome: { outcome: Outcome; code: string | undefined } | undefined;

  // Most traces are not kept (one in ten by default): their spans' attributes are never built.
  private readonly recording: boolean;

  constructor(private readonly span: Span) {
    this.recording = span.isRecording();
  }

  caller(identity: CallerIds): void {
    this.tenantId = identity.tid;
    if (this.recording) setSpanAttributes(this.span, { [ATTR.tenantId]: identity.tid, [ATTR.endUserId]: identity.oid });
    noteActiveCaller(identity.tid, identity.oid);
  }

  message(body: unknown, protocolVersion: string, tools: KnownTools): void {
    const facts = describeMcpMessage(body, tools);
    this.method = facts.method;
    this.tool = facts.tool;
    if (!this.recording) return;
    if (facts.batchSize === 1) this.span.updateName(facts.tool === undefined ? facts.method : `${facts.method} ${facts.tool}`);
    setSpanAttributes(this.span, {
      [ATTR.mcpMethodName]: facts.batchSize === 1 ? facts.method : undefined,
      [ATTR.genAiToolName]: facts.tool,
      [ATTR.genAiOperationName]: facts.tool === undefined ? undefined : 'execute_tool',
      [ATTR.jsonRpcRequestId]: facts.requestId,
      [ATTR.batchSize]: facts.batchSize === 1 ? undefined : facts.batchSize,
      [ATTR.mcpProtocolVersion]: /^\d{4}-\d{2}-\d{2}$/.test(protocolVersion) ? protocolVersion : OTHER,
    });
  }

  fail(error: unknown): void {
    this.code = errorFacts(error).code;
  }

  toolCalled(outcome: Outcome, code: string | undefined): void {
    // A batch may hold several calls: the request keeps the first failure.
    if (this.toolOutcome === undefined || this.toolOutcome.outcome === 'ok') this.toolOutcome = { outcome, code };
  }

  finish(status: number): void {
    const byStatus = outcomeForStatus(status);
    const outcome = byStatus === 'ok' && this.toolOutcome !== undefined ? this.toolOutcome.outcome : byStatus;
    const errorType = this.code ?? (outcome === 'tool_error' ? this.toolOutcome?.code ?? 'tool_error' : status >= 400 ? String(status) : undefined);
    if (this.recording) setSpanAttributes(this.span, {
      [ATTR.httpResponseStatusCode]: status,
      [ATTR.outcome]: outcome,
      [ATTR.errorType]: errorType,
      [ATTR.errorCode]: errorType,
    });
    if (outcome === 'error' || outcome === 'tool_error') this.span.setStatus({ code: SpanStatusCode.ERROR });
    recordOperation((performance.now() - this.started) / 1000, this.method, this.tool, outcome, errorType);
    if (outcome === 'refused') recordRefusal(status, errorType, this.tenantId);
  }
}

/**
 * Runs one MCP HTTP request in a SERVER span (child of the remote parent, if any) and records its
 * duration, outcome and refusals when the answer is ready. `handle` reaches the request's telemetry
 * here or, deeper in the call, through `currentMcpRequest()`. While telemetry is off it runs as is.
 */
export async function traceMcpRequest(start: McpRequestStart, handle: (request: McpRequestTelemetry) => Promise<Response>): Promise<Response> {
  if (!telemetryActive()) return handle(NOOP_REQUEST);
  const httpMethod = HTTP_METHODS.has(start.httpMethod) ? start.httpMethod : OTHER;
  const parent = context.active();
  const span = serverTracer().startSpan(`${httpMethod} /mcp`, {
    kind: SpanKind.SERVER,
    attributes: {
      [ATTR.httpRequestMethod]: httpMethod,
      [ATTR.networkProtocolName]: 'http',
      [ATTR.networkTransport]: 'tcp',
      [ATTR.correlationId]: start.correlationId,
    },
  }, parent);
  const request = new RecordedRequest(span);
  let status = 500;
  try {
    // The span and the request's telemetry enter the context together: one context switch per request, not two.
    const response = await context.with(trace.setSpan(parent, span).setValue(REQUEST, request), () => handle(request));
    status = response.status;
    return response;
  } catch (error) {
    request.fail(error);
    markFailed(span, error);
    throw error;
  } finally {
    request.finish(status);
    span.end();
  }
}

/** The telemetry of the MCP request being handled; a no-op outside one or while telemetry is off. */
export function currentMcpRequest(): McpRequestTelemetry {
  if (!telemetryActive()) return NOOP_REQUEST;
  return (context.active().getValue(REQUEST) as McpRequestTelemetry | undefined) ?? NOOP_REQUEST;
}

/**
 * Counts one tools/call by tool and outcome, and tells the request's span how the tool ended.
 * `name` is what the client asked for: a name outside `tools` counts as `_OTHER`.
 */
export function noteToolCall(name: unknown, tools: KnownTools, result: { readonly isError?: boolean | undefined; readonly code?: string | undefined }): void {
  if (!telemetryActive()) return;
  const outcome: Outcome = result.isError === true ? 'tool_error' : 'ok';
  const code = result.isError === true ? typedCode(result.code, 'tool_error') : undefined;
  recordToolCall(toolNameOf(name, tools), outcome, code);
  const request = context.active().getValue(REQUEST);
  if (request instanceof RecordedRequest) request.toolCalled(outcome, code);
}
