// Turns a failure inside a tool into an `isError` result a model can act on, never a stack trace.
import type { CallToolResult } from '@modelcontextprotocol/server';
import { AuthError } from '../auth/authError.js';
import { DocumentError, type DocumentErrorCode } from '../documents/documentError.js';
import { GraphError, type GraphErrorCode } from '../graph/graphError.js';
import { redact, type Logger } from '../log/logger.js';
import { activeTraceId } from '../telemetry/spans/traceContext.js';
import type { ToolDefinition } from '../tools/defineTool.js';
import { ToolError } from '../tools/toolError.js';

/** Where the typed error travels: `structuredContent` must match the output schema, so not there. */
export const TOOL_ERROR_META_KEY = 'onbehalf/error';

function result(code: string, message: string, hint: string, extra: Record<string, unknown> = {}): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${message}\n${hint}` }],
    _meta: { [TOOL_ERROR_META_KEY]: { code, hint, ...extra } },
  };
}

const GRAPH_HINTS: Record<GraphErrorCode, string> = {
  bad_request: 'Check the arguments against the tool\'s description and call again.',
  unauthorized: 'Sign in again; Microsoft Graph did not accept the delegated token.',
  forbidden: 'You do not have access to this item in Microsoft 365; ask its owner to share it.',
  not_found: 'Check the id: the item may have been deleted, or it is not yours to see.',
  conflict: 'The item changed meanwhile; read it again and retry.',
  too_large: 'The item is too large for this tool.',
  throttled: 'Microsoft Graph is throttling requests.',
  unavailable: 'Microsoft Graph is unavailable right now.',
  cursor_invalid: 'Call the tool again without a cursor to start from the first page.',
  redirect_refused: 'Microsoft Graph redirected the call somewhere this server does not follow; try again later, and tell your administrator if it persists.',
  upstream_invalid: 'Microsoft Graph sent an answer this server cannot read; try again later.',
};

const DOCUMENT_HINTS: Record<DocumentErrorCode, string> = {
  too_large: 'The document is too large to convert to text; open it in its app.',
  unreadable: 'The document is damaged or not of the type its name says; open it in its app.',
  too_complex: 'The document is too complex to convert to text (it needs more memory or nesting than this server gives one document); open it in its app.',
  conversion_timeout: 'The document took longer to convert than this server gives one document; open it in its app rather than calling again.',
  busy: 'This server is converting as many documents as it can.',
  cancelled: 'The request ended before the document was converted; call again with a longer timeout, or read a smaller document.',
};

function fromDocumentError(error: DocumentError, toolName: string, log: Logger): CallToolResult {
  log.warn('document conversion failed', { tool: toolName, code: error.code });
  let hint = DOCUMENT_HINTS[error.code];
  if (error.code === 'busy') hint += ` Retry after ${error.retryAfterSeconds ?? 10} seconds.`;
  const extra = error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds };
  return result(error.code, `${toolName}: ${redact(error.message)}`, hint, extra);
}

/** The request's correlation id (the server's own), and beside it the trace id when tracing is on. */
function ids(correlationId: string): { correlationId: string; traceId?: string } {
  const traceId = activeTraceId();
  return { correlationId, ...(traceId !== undefined && { traceId }) };
}

function fromGraphError(error: GraphError, toolName: string, log: Logger, correlationId: string): CallToolResult {
  log.warn('graph call failed', { tool: toolName, code: error.code, status: error.status, graphCode: error.graphCode, requestId: error.requestId, correlationId });
  // Graph's request id is what Microsoft support asks for; ours leads to the request's logs, audit rows and trace.
  let hint = GRAPH_HINTS[error.code];
  if (error.code === 'throttled' || error.code === 'unavailable') {
    hint += ` Retry after ${error.retryAfterSeconds ?? 30} seconds.`;
  }
  const extra = {
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    ...(error.requestId !== undefined && { requestId: error.requestId }),
    ...ids(correlationId),
  };
  return result(error.code, `${toolName}: ${redact(error.message)}`, hint, extra);
}

function fromAuthError(error: AuthError, toolName: string, log: Logger, correlationId: string): CallToolResult {
  // Entra's correlation id (for a Microsoft support request) is logged beside ours, and on the OBO span.
  log.warn('on-behalf-of exchange failed', { tool: toolName, code: error.code, tenant: error.tenantId, jti: error.jtiHash, correlationId, entraCorrelationId: error.correlationId });
  if (error.code === 'consent_required') {
    // The consent URL is the remedy; the ids lead an administrator to the failed exchange and its AADSTS code.
    return result('consent_required', `${toolName}: ${error.message}.`, `Ask an administrator of your organization to grant consent at ${error.consentUrl ?? 'the Entra admin center'}, then call the tool again.`, {
      consentUrl: error.consentUrl,
      ...ids(correlationId),
    });
  }
  return result(error.code, `${toolName}: ${error.message} (correlation id ${correlationId}).`, 'Try again in a minute; if it keeps failing, give the correlation id to your administrator.', ids(correlationId));
}

/** An error result with a typed code, a message, and a recovery hint. */
export const toolErrorResult = Object.assign(result, {
  /**
   * The answer to a write whose deadline passed after it was sent to Graph: Graph may have acted on it. Not
   * "try again": a tool that is not idempotent says not to call it again blindly and where to look first.
   */
  outcomeUnknown(tool: ToolDefinition, seconds: number, correlationId: string): CallToolResult {
    const message = `${tool.name}: the request did not complete within ${seconds} seconds, after the change was sent to Microsoft 365; whether it took effect is unknown.`;
    const hint = tool.annotations.idempotentHint
      ? `Calling ${tool.name} again with the same arguments is safe.`
      : `Do not call ${tool.name} again blindly: first ${tool.checkOutcome ?? 'check in Microsoft 365 whether it took effect'}, and call it again only if the change is not there.`;
    return result('outcome_unknown', message, hint, ids(correlationId));
  },

  /** What a write's audit row records when the deadline passed before it sent anything: nothing happened, a retry is safe. */
  timedOutBeforeWrite(tool: ToolDefinition, seconds: number, correlationId: string): CallToolResult {
    return result('request_timeout', `${tool.name}: the request did not complete within ${seconds} seconds, before the change was sent.`, 'Try again.', ids(correlationId));
  },

  /**
   * Maps Graph, OBO and document conversion failures to their hints; anything else is logged. Each Graph or OBO
   * failure, and anything unexpected, quotes `correlationId`, the request's own id (also on its audit rows, log lines
   * and request span), and with tracing on the trace id beside it.
   */
  fromError(error: unknown, toolName: string, log: Logger, correlationId: string): CallToolResult {
    if (error instanceof GraphError) return fromGraphError(error, toolName, log, correlationId);
    if (error instanceof AuthError) return fromAuthError(error, toolName, log, correlationId);
    if (error instanceof DocumentError) return fromDocumentError(error, toolName, log);
    if (error instanceof ToolError) {
      log.info('tool answered with its own error', { tool: toolName, code: error.code, correlationId });
      return result(error.code, `${toolName}: ${error.message}`, error.hint, ids(correlationId));
    }
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log.error('tool failed', { tool: toolName, correlationId, error: redact(detail) });
    return result('internal_error', `${toolName} failed unexpectedly (correlation id ${correlationId}).`, 'Try again; if it keeps failing, give the correlation id to your administrator.', ids(correlationId));
  },
});
