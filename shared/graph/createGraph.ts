// Microsoft Graph for one tool call: the caller's OBO token for the tool's scopes, bounded retries, timeouts, typed errors.
import {
  AuthenticationHandler,
  Client,
  GraphError as GraphClientFailure,
  HTTPMessageHandler,
  RedirectHandler,
  ResponseType,
  RetryHandler,
  RetryHandlerOptions,
  type Context,
  type Middleware,
} from '@microsoft/microsoft-graph-client';
import { AuthError } from '../auth/authError.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { AcquireGraphToken } from '../auth/onBehalfOf.js';
import { codeForStatus, GraphError } from './graphError.js';

export type GraphQuery = Readonly<Record<string, string | number | boolean | undefined>>;

export interface GraphRequestOptions {
  readonly query?: GraphQuery;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The Graph operations tools use; each call carries the OBO token for the tool's declared scopes only. */
export interface Graph {
  /** e.g. `https://graph.microsoft.com/v1.0`: what nextLinks start with. */
  readonly apiBase: string;
  get<T>(path: string, options?: GraphRequestOptions): Promise<T>;
  /** Follows an absolute `@odata.nextLink`; headers such as `Prefer` must be sent again, nextLinks do not carry them. */
  getNext<T>(nextLink: string, options?: Pick<GraphRequestOptions, 'headers'>): Promise<T>;
  post<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  patch<T>(path: string, body: unknown, options?: GraphRequestOptions): Promise<T>;
  delete(path: string, options?: GraphRequestOptions): Promise<void>;
  getBytes(path: string, options?: GraphRequestOptions): Promise<ArrayBuffer>;
}

export type GraphFor = (caller: VerifiedCaller, scopes: readonly string[], signal: AbortSignal) => Graph;

export interface GraphFactoryOptions {
  /** e.g. `https://graph.microsoft.com` */
  readonly baseUrl: string;
  readonly acquireToken: AcquireGraphToken;
}

const MAX_TRIES = 3;
const RETRY_BUDGET_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 15_000;

/** Bounds each HTTP attempt, and ends it when the MCP request is cancelled. */
class TimeoutHandler implements Middleware {
  private next: Middleware | undefined;
  constructor(private readonly signal: AbortSignal) {}
  async execute(context: Context): Promise<void> {
    const signal = AbortSignal.any([this.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]);
    context.options = { ...context.options, signal };
    await this.next?.execute(context);
  }
  setNext(next: Middleware): void {
    this.next = next;
  }
}

function retryAfterSeconds(headers: Headers | undefined): number | undefined {
  const value = headers?.get('retry-after');
  if (value === null || value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Retries 429/503/504 honouring Retry-After, at most 3 tries and 30 s in all for one logical request.
 * Writes are retried on 429 only: Graph did not act on a throttled request, but a 503/504 may come
 * after Exchange already sent the mail.
 */
function retryOptions(method: string): RetryHandlerOptions {
  const started = Date.now();
  return new RetryHandlerOptions(1, MAX_TRIES - 1, (_delay, _attempt, _request, _options, response) => {
    if (!SAFE_METHODS.has(method) && response.status !== 429) return false;
    const wait = (retryAfterSeconds(response.headers) ?? 1) * 1000;
    return Date.now() - started + wait <= RETRY_BUDGET_MS;
  });
}

function toGraphError(error: unknown): GraphError {
  if (error instanceof GraphError) return error;
  if (error instanceof GraphClientFailure && error.statusCode > 0) {
    const code = codeForStatus(error.statusCode);
    const graphMessage = typeof error.message === 'string' && error.message !== '' ? error.message : `Microsoft Graph answered ${error.statusCode}`;
    return new GraphError(code, graphMessage, {
      cause: error,
      status: error.statusCode,
      retryAfterSeconds: retryAfterSeconds(error.headers),
      requestId: error.requestId ?? undefined,
      graphCode: error.code ?? undefined,
    });
  }
  return new GraphError('unavailable', 'Microsoft Graph could not be reached', { cause: error });
}

/** Builds `graphFor(caller, scopes, signal)`; its operations throw `GraphError` or, from OBO, `AuthError`. */
export function createGraphFactory(options: GraphFactoryOptions): GraphFor {
  const apiBase = `${options.baseUrl}/v1.0`;
  // The Graph client compares host names without ports.
  const customHosts = new Set([new URL(options.baseUrl).hostname]);

  return (caller, scopes, signal) => {
    let authFailure: AuthError | undefined;
    let client: Client | undefined;
    // Built on first use: many tool calls (whoami without a profile, input refused) never reach Graph.
    const clientFor = (): Client => {
      if (client !== undefined) return client;
      const authentication = new AuthenticationHandler({
        getAccessToken: async () => {
          try {
            return await options.acquireToken(caller, scopes);
          } catch (error) {
            // The Graph client wraps whatever a provider throws; keep ours so its code survives.
            if (error instanceof AuthError) authFailure = error;
            throw error;
          }
        },
      });
      const chain: Middleware[] = [authentication, new RetryHandler(new RetryHandlerOptions()), new RedirectHandler(), new TimeoutHandler(signal), new HTTPMessageHandler()];
      chain.reduce((previous, next) => {
        previous.setNext?.(next);
        return next;
      });
      client = Client.initWithMiddleware({ middleware: authentication, baseUrl: options.baseUrl, defaultVersion: 'v1.0', customHosts });
      return client;
    };

    const run = async <T>(method: string, path: string, requestOptions: GraphRequestOptions, send: (request: ReturnType<Client['api']>) => Promise<T>): Promise<T> => {
      const request = clientFor().api(path).middlewareOptions([retryOptions(method)]);
      for (const [name, value] of Object.entries(requestOptions.query ?? {})) {
        // The Graph client joins `key=value` as given: unencoded, a `&` or `#` in a search would inject parameters.
        if (value !== undefined) request.query({ [name]: encodeURIComponent(String(value)) });
      }
      if (requestOptions.headers !== undefined) request.headers({ ...requestOptions.headers });
      try {
        return await send(request);
      } catch (error) {
        throw authFailure ?? toGraphError(error);
      }
    };

    return {
      apiBase,
      get: (path, requestOptions = {}) => run('GET', path, requestOptions, (request) => request.get()),
      getNext: (nextLink, requestOptions = {}) => {
        if (!nextLink.startsWith(`${apiBase}/`)) return Promise.reject(new GraphError('cursor_invalid', 'The paging link does not point at Microsoft Graph'));
        return run('GET', nextLink, requestOptions, (request) => request.get());
      },
      post: (path, body, requestOptions = {}) => run('POST', path, requestOptions, (request) => request.post(body)),
      patch: (path, body, requestOptions = {}) => run('PATCH', path, requestOptions, (request) => request.patch(body)),
      delete: (path, requestOptions = {}) => run('DELETE', path, requestOptions, async (request) => { await request.delete(); }),
      getBytes: (path, requestOptions = {}) => run('GET', path, requestOptions, (request) => request.responseType(ResponseType.ARRAYBUFFER).get()),
    };
  };
}
