// Adapts the Functions HTTP types to fetch Request/Response and InvocationContext to our Logger.
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Handler } from '../shared/mcp/createApp.js';
import { createRedactingLogger, type LogFields, type Logger } from '../shared/log/logger.js';

function toFetchRequest(request: HttpRequest, body: ArrayBuffer | undefined): Request {
  return new Request(request.url, { method: request.method, headers: request.headers, ...(body !== undefined && { body }) });
}

async function toResponseInit(response: Response): Promise<HttpResponseInit> {
  const body = response.body === null ? undefined : new Uint8Array(await response.arrayBuffer());
  return { status: response.status, headers: Object.fromEntries(response.headers), ...(body !== undefined && body.byteLength > 0 && { body }) };
}

function loggerFor(context: InvocationContext): Logger {
  const format = (message: string, fields?: LogFields) => (fields === undefined ? message : `${message} ${JSON.stringify(fields)}`);
  return createRedactingLogger({
    info: (message, fields) => context.log(format(message, fields)),
    warn: (message, fields) => context.warn(format(message, fields)),
    error: (message, fields) => context.error(format(message, fields)),
  });
}

/** A Functions HTTP handler serving one of our fetch-style handlers. */
export function serve(handler: Handler): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return async (request, context) => {
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const body = hasBody ? await request.arrayBuffer() : undefined;
    return toResponseInit(await handler(toFetchRequest(request, body), loggerFor(context)));
  };
}
