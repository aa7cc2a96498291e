// Adapts the Functions HTTP types to fetch Request/Response, InvocationContext to our Logger, and the host's trace to ours.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { responseBytes } from '../shared/http/responseBytes.js';
import type { Handler } from '../shared/mcp/createApp.js';
import { createRedactingLogger, type LogFields, type Logger } from '../shared/log/logger.js';
import { createTelemetryLogger } from '../shared/telemetry/logs/telemetryLogger.js';
import { withRemoteParent } from '../shared/telemetry/spans/traceContext.js';
import { telemetryActive } from '../shared/telemetry/start/activation.js';

/**
 * The body is passed on as the stream it is, never read here: the handler reads it under its cap
 * (refusing a declared Content-Length over it before reading), and a refused caller's is never read.
 */
function toFetchRequest(request: HttpRequest): Request {
  const body = request.method === 'GET' || request.method === 'HEAD' ? null : request.body as ReadableStream<Uint8Array> | null;
  return new Request(request.url, { method: request.method, headers: request.headers, ...(body !== null && { body, duplex: 'half' }) });
}

async function toResponseInit(response: Response): Promise<HttpResponseInit> {
  const body = await responseBytes(response);
  return { status: response.status, headers: Object.fromEntries(response.headers), ...(body !== undefined && body.byteLength > 0 && { body }) };
}

// Stateless (each line checks whether telemetry is on), so one serves every invocation.
const records = createRedactingLogger(createTelemetryLogger());

/**
 * With telemetry on, log lines become records whose fields are custom dimensions (the host's own copy of
 * `context.log` would only repeat them as text); otherwise they go to the host's log as today.
 */
function loggerFor(context: InvocationContext): Logger {
  if (telemetryActive()) return records;
  const format = (message: string, fields?: LogFields) => (fields === undefined ? message : `${message} ${JSON.stringify(fields)}`);
  return createRedactingLogger({
    info: (message, fields) => context.log(format(message, fields)),
    warn: (message, fields) => context.warn(format(message, fields)),
    error: (message, fields) => context.error(format(message, fields)),
  });
}

/**
 * A Functions HTTP handler serving one of our fetch-style handlers. It waits for `telemetryStarted` (settled
 * already unless the first request beats the SDK's loading) and runs the handler under the host's trace, so
 * our spans are children of the host's request.
 */
export function serve(handler: Handler, telemetryStarted: Promise<unknown>): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return async (request, context) => {
    await telemetryStarted;
    return withRemoteParent(context.traceContext, async () => toResponseInit(await handler(toFetchRequest(request), loggerFor(context))));
  };
}
