// The span of one logical Microsoft Graph request (retries included) and what each HTTP attempt adds to it.
import { context, createContextKey, SpanKind, type Span } from '@opentelemetry/api';
import { ATTR } from '../attributes/names.js';
import { recordGraphThrottled } from '../metrics/recorders.js';
import { graphRouteTemplate } from '../routes/graphRoute.js';
import { telemetryActive } from '../start/activation.js';
import { setSpanAttributes, withSpan } from './withSpan.js';

export interface GraphRequestStart {
  /** GET, POST, PATCH, DELETE */
  readonly method: string;
  /** The path as the tool gave it (`/me/events/AAMk…`) or an absolute nextLink: only its route template is kept. */
  readonly url: string;
  /** e.g. `https://graph.microsoft.com`: its host is the span's `server.address`. */
  readonly baseUrl: string;
  /** The caller's tenant, for the throttling metric (Graph throttles per tenant and per user). */
  readonly tenantId?: string | undefined;
}

/** The response headers an attempt exposes (fetch `Headers` fits). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

interface GraphState {
  readonly span: Span;
  readonly route: string;
  readonly tenantId: string | undefined;
  attempts: number;
}

const GRAPH = createContextKey('onbehalf graph request');
const THROTTLED = new Set([429, 503, 504]);
// Graph's request ids are GUIDs; anything else is not worth keeping.
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function hostOf(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl).host;
  } catch {
    return undefined;
  }
}

/**
 * Runs `send` (the Graph client's whole request, retries included) in a CLIENT span named
 * `{method} {route template}`; a failure's typed code (`throttled`, `not_found`, ...) becomes its `error.type`.
 */
export async function traceGraphRequest<T>(start: GraphRequestStart, send: () => Promise<T>): Promise<T> {
  if (!telemetryActive()) return send();
  const route = graphRouteTemplate(start.url);
  const method = /^[A-Z]{3,7}$/.test(start.method) ? start.method : '_OTHER';
  return withSpan(`${method} ${route}`, {
    kind: SpanKind.CLIENT,
    attributes: { [ATTR.httpRequestMethod]: method, [ATTR.urlTemplate]: route, [ATTR.serverAddress]: hostOf(start.baseUrl) },
  }, (span) => {
    const state: GraphState = { span, route, tenantId: start.tenantId, attempts: 0 };
    return context.with(context.active().setValue(GRAPH, state), send);
  });
}

/**
 * Called once per HTTP attempt (from a Graph client middleware, inside `traceGraphRequest`): the status,
 * Graph's `request-id` and `client-request-id`, the number of retries so far, and throttling (429, 503, 504).
 */
export function noteGraphResponse(status: number, headers: ResponseHeaders | undefined): void {
  if (!telemetryActive()) return;
  const state = context.active().getValue(GRAPH) as GraphState | undefined;
  if (state === undefined) return;
  state.attempts++;
  const requestId = headers?.get('request-id') ?? undefined;
  const clientRequestId = headers?.get('client-request-id') ?? undefined;
  setSpanAttributes(state.span, {
    [ATTR.httpResponseStatusCode]: status,
    [ATTR.httpResendCount]: state.attempts > 1 ? state.attempts - 1 : undefined,
    [ATTR.graphRequestId]: requestId !== undefined && REQUEST_ID.test(requestId) ? requestId : undefined,
    [ATTR.graphClientRequestId]: clientRequestId !== undefined && REQUEST_ID.test(clientRequestId) ? clientRequestId : undefined,
  });
  if (THROTTLED.has(status)) recordGraphThrottled(status, state.route, state.tenantId);
}
