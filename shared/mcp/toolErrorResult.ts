// Turns a failure inside a tool into an `isError` result a model can act on, never a stack trace.
import { randomUUID } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../log/logger.js';
import { redact } from '../log/logger.js';

/** Where the typed error travels: `structuredContent` must match the output schema, so not there. */
export const TOOL_ERROR_META_KEY = 'onbehalf/error';

function result(code: string, message: string, hint: string, extra: Record<string, unknown> = {}): CallToolResult {
  return {
    isError: true,
    content: [{ type: 'text', text: `${message}\n${hint}` }],
    _meta: { [TOOL_ERROR_META_KEY]: { code, hint, ...extra } },
  };
}

/** An error result with a typed code, a message, and a recovery hint. */
export const toolErrorResult = Object.assign(result, {
  /** For failures no boundary mapped: logged with a correlation id the user can quote. */
  fromError(error: unknown, toolName: string, log: Logger): CallToolResult {
    const correlationId = randomUUID();
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    log.error('tool failed', { tool: toolName, correlationId, error: redact(detail) });
    return result('internal_error', `${toolName} failed unexpectedly (correlation id ${correlationId}).`, 'Try again; if it keeps failing, give the correlation id to your administrator.', { correlationId });
  },
});
