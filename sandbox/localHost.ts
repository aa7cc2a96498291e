// The local host: a plain Node HTTP server serving the same routes and handlers as the Functions triggers.
import type { App } from '../shared/mcp/createApp.js';
import { routeFor } from '../shared/mcp/routes.js';
import type { Logger } from '../shared/log/logger.js';
import { createRedactingLogger, silentLogger } from '../shared/log/logger.js';
import { createTelemetryLogger } from '../shared/telemetry/logs/telemetryLogger.js';
import { withRemoteParent } from '../shared/telemetry/spans/traceContext.js';
import { telemetryActive } from '../shared/telemetry/start/activation.js';
import type { RunningServer } from './httpsServer.js';
import { serveFetch } from './nodeFetch.js';

export interface LocalHostOptions {
  readonly port?: number;
  readonly host?: string;
  readonly log?: Logger;
}

const NOT_FOUND = JSON.stringify({ error: 'not_found' });

/** With telemetry on, every line is a log record too (fields as attributes), as the Functions adapter makes them. */
function withRecords(log: Logger): Logger {
  const records = createRedactingLogger(createTelemetryLogger());
  const both = (level: keyof Logger): Logger[keyof Logger] => (message, fields) => {
    log[level](message, fields);
    records[level](message, fields);
  };
  return { info: both('info'), warn: both('warn'), error: both('error') };
}

/**
 * What the local host does with one request: routes it, continues a caller's traceparent, and hands the app the
 * logger for the moment (records too while telemetry is on). The bench drives this in process.
 */
export function localHostHandler(app: App, log: Logger = silentLogger): (request: Request) => Promise<Response> {
  const recorded = withRecords(log);
  return async (request) => {
    const route = routeFor(new URL(request.url).pathname);
    if (route === undefined) return new Response(NOT_FOUND, { status: 404, headers: { 'content-type': 'application/json' } });
    // A caller's traceparent is honoured, as the Functions host honours it: a local client's trace continues here.
    const parent = { traceParent: request.headers.get('traceparent'), traceState: request.headers.get('tracestate') };
    return withRemoteParent(parent, () => app[route.handler](request, telemetryActive() ? recorded : log));
  };
}

export async function startLocalHost(app: App, options: LocalHostOptions = {}): Promise<RunningServer> {
  return serveFetch(localHostHandler(app, options.log), { ...options, allow: (pathname) => routeFor(pathname)?.methods.join(', ') });
}
