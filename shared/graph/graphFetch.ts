// The Graph client's last middleware: each attempt under a deadline, redirects followed by our rules so the token reaches Graph's origin only.
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import { noteGraphResponse } from '../telemetry/spans/graphRequest.js';
import { GraphError } from './graphError.js';

/** Hops followed for one attempt; Graph's downloads take one. */
export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One per request, passed as a middleware option: the Graph client wraps whatever a middleware throws in
 * its own error and loses the code, so the typed failure is left here for the caller to find.
 */
export class GraphCallState implements MiddlewareOptions {
  failure: GraphError | undefined;
  private endAttempt: (() => void) | undefined;

  /**
   * The signal of one attempt: aborted with `outer` (the MCP request's), or once `timeoutMs` pass. Lives until
   * the next attempt or `end()`, so it covers the body read that follows. A timer cleared at the end, not
   * `AbortSignal.any` with `AbortSignal.timeout`: those cost more than the rest of the attempt's own work, and
   * each timeout's timer would live its whole 15 s after a call that took milliseconds.
   */
  attemptSignal(outer: AbortSignal, timeoutMs: number): AbortSignal {
    this.end();
    const controller = new AbortController();
    const abort = () => controller.abort(outer.reason);
    const timer = setTimeout(() => controller.abort(new DOMException(`No answer from Microsoft Graph within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
    if (outer.aborted) abort();
    else outer.addEventListener('abort', abort, { once: true });
    this.endAttempt = () => {
      clearTimeout(timer);
      outer.removeEventListener('abort', abort);
    };
    return controller.signal;
  }

  /** Lets go of the last attempt's timer and listener: the call is over, its body read or abandoned. */
  end(): void {
    this.endAttempt?.();
    this.endAttempt = undefined;
  }
}

export interface GraphFetchOptions {
  /** `GRAPH_BASE_URL`'s origin: the only one that ever receives the Graph token. */
  readonly graphOrigin: string;
  /** Ends every attempt when the MCP request is cancelled. */
  readonly signal: AbortSignal;
  readonly attemptTimeoutMs: number;
}

function refused(message: string, cause?: unknown): GraphError {
  return new GraphError('redirect_refused', message, { cause });
}

/**
 * Sends a request and follows its redirects: each `Location` is resolved with the URL parser against the
 * URL that answered (the only reading a fetch would act on), must be https, and gets the `Authorization`
 * header only while it stays on Graph's origin; once dropped it is never sent again. Only GET and HEAD
 * follow redirects: a write's body goes nowhere Graph did not receive it first. Throws `GraphError`
 * `redirect_refused` (non-https, malformed, user info in the URL, a write redirected, more than
 * `MAX_REDIRECTS` hops) or
 * `upstream_invalid` (a redirect without `Location`).
 */
export async function fetchFollowingRedirects(start: string, init: RequestInit, graphOrigin: string): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  let url: URL;
  try {
    url = new URL(start);
  } catch (cause) {
    throw new GraphError('bad_request', 'The Microsoft Graph URL is malformed', { cause });
  }
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:') throw refused(`Microsoft Graph redirected to a non-https URL (${url.protocol})`);
    // fetch refuses them anyway; refusing here keeps the code typed.
    if (url.username !== '' || url.password !== '') throw refused('Microsoft Graph redirected to a URL with credentials in it');
    if (url.origin !== graphOrigin) headers.delete('authorization');
    const response = await fetch(url, { ...init, method, headers, redirect: 'manual' });
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    // Never read: a redirect's body is nobody's business, and its connection goes back to the pool.
    await response.body?.cancel().catch(() => undefined);
    if (method !== 'GET' && method !== 'HEAD') throw refused(`Microsoft Graph redirected a ${method} request`);
    if (hop >= MAX_REDIRECTS) throw refused(`Microsoft Graph redirected more than ${MAX_REDIRECTS} times`);
    const location = response.headers.get('location');
    if (location === null) throw new GraphError('upstream_invalid', `Microsoft Graph answered ${response.status} without a Location`);
    try {
      url = new URL(location, url);
    } catch (cause) {
      throw refused('Microsoft Graph redirected to a malformed URL', cause);
    }
  }
}

/** Replaces the Graph client's RedirectHandler and HTTPMessageHandler (see `fetchFollowingRedirects`). */
export class GraphFetchHandler implements Middleware {
  constructor(private readonly options: GraphFetchOptions) {}

  async execute(context: Context): Promise<void> {
    const state = context.middlewareControl?.getMiddlewareOptions(GraphCallState) as GraphCallState | undefined;
    // Per attempt, covering every hop and the body read that follows: a trickling answer cannot hold a call.
    // Every call through createGraph has its state; anything else gets a signal that ends on its own.
    const signal = state?.attemptSignal(this.options.signal, this.options.attemptTimeoutMs)
      ?? AbortSignal.any([this.options.signal, AbortSignal.timeout(this.options.attemptTimeoutMs)]);
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    try {
      const response = await fetchFollowingRedirects(url, { ...(context.options as RequestInit), signal }, this.options.graphOrigin);
      noteGraphResponse(response.status, response.headers);
      context.response = response;
    } catch (error) {
      if (error instanceof GraphError && state !== undefined) state.failure = error;
      throw error;
    }
  }
}
