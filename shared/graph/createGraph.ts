// Microsoft Graph for one tool call: the caller's OBO token for the tool's scopes, bounded retries, timeouts, capped bodies, typed errors.
import type { Client, Middleware, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import { AuthError } from '../auth/authError.js';
import type { VerifiedCaller } from '../auth/identity.js';
import type { AcquireGraphToken } from '../auth/onBehalfOf.js';
import { traceGraphRequest } from '../telemetry/spans/graphRequest.js';
import { loadGraphClient, type GraphClientModule } from './graphClient.js';
import { GraphError } from './graphError.js';
import { GraphCallState, GraphFetchHandler } from './graphFetch.js';
import { errorFromResponse, readCapped, readJson, retryAfterSeconds } from './readResponse.js';

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
  /** A download, refused with `too_large` as soon as more than `maxBytes` arrive (whatever Content-Length says). */
  getBytes(path: string, options: GraphRequestOptions & { readonly maxBytes: number }): Promise<Buffer>;
}

export type GraphFor = (caller: VerifiedCaller, scopes: readonly string[], signal: AbortSignal) => Graph;

export interface GraphFactoryOptions {
  /** e.g. `https://graph.microsoft.com` */
  readonly baseUrl: string;
  readonly acquireToken: AcquireGraphToken;
  /** Deadline of one HTTP attempt, its redirects and its body included (default 15 s). */
  readonly attemptTimeoutMs?: number;
}

const MAX_TRIES = 3;
const RETRY_BUDGET_MS = 30_000;
const ATTEMPT_TIMEOUT_MS = 15_000;

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Retries 429/503/504 honouring Retry-After, at most 3 tries and 30 s in all for one logical request.
 * Writes are retried on 429 only: Graph did not act on a throttled request, but a 503/504 may come
 * after Exchange already sent the mail.
 */
function retryOptions(sdk: GraphClientModule, method: string): RetryHandlerOptions {
  const started = Date.now();
  return new sdk.RetryHandlerOptions(1, MAX_TRIES - 1, (_delay, _attempt, _request, _options, response) => {
    if (!SAFE_METHODS.has(method) && response.status !== 429) return false;
    const wait = (retryAfterSeconds(response.headers) ?? 1) * 1000;
    return Date.now() - started + wait <= RETRY_BUDGET_MS;
  });
}

function unreachable(cause: unknown): GraphError {
  return new GraphError('unavailable', 'Microsoft Graph could not be reached', { cause });
}

/** A body read that failed for a reason of its own (deadline, connection lost) rather than ours. */
function brokenOff(error: unknown): GraphError {
  return error instanceof GraphError ? error : new GraphError('unavailable', 'The answer from Microsoft Graph broke off', { cause: error });
}

/** Builds `graphFor(caller, scopes, signal)`; its operations throw `GraphError` or, from OBO, `AuthError`. */
export function createGraphFactory(options: GraphFactoryOptions): GraphFor {
  const apiBase = `${options.baseUrl}/v1.0`;
  // The Graph client compares host names without ports; GraphFetchHandler then holds the token to the whole origin.
  const customHosts = new Set([new URL(options.baseUrl).hostname]);
  const graphOrigin = new URL(options.baseUrl).origin;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS;

  return (caller, scopes, signal) => {
    let authFailure: AuthError | undefined;
    let client: Client | undefined;
    // Built on first use: many tool calls (whoami without a profile, input refused) never reach Graph.
    const clientFor = (sdk: GraphClientModule): Client => {
      if (client !== undefined) return client;
      const authentication = new sdk.AuthenticationHandler({
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
      const chain: Middleware[] = [authentication, new sdk.RetryHandler(new sdk.RetryHandlerOptions()), new GraphFetchHandler({ graphOrigin, signal, attemptTimeoutMs })];
      chain.reduce((previous, next) => {
        previous.setNext?.(next);
        return next;
      });
      client = sdk.Client.initWithMiddleware({ middleware: authentication, baseUrl: options.baseUrl, defaultVersion: 'v1.0', customHosts });
      return client;
    };

    /** Sends one request and reads its answer with `read`; a non-2xx answer becomes a `GraphError`. */
    const runUntraced = async <T>(
      method: string,
      path: string,
      requestOptions: GraphRequestOptions,
      send: (request: ReturnType<Client['api']>) => Promise<Response>,
      read: (response: Response) => Promise<T>,
    ): Promise<T> => {
      const sdk = await loadGraphClient();
      const state = new GraphCallState();
      // RAW: the answer comes back unread, so every body is read here, under a cap, and never by the client.
      const request = clientFor(sdk).api(path).middlewareOptions([retryOptions(sdk, method), state]).responseType(sdk.ResponseType.RAW);
      for (const [name, value] of Object.entries(requestOptions.query ?? {})) {
        // The Graph client joins `key=value` as given: unencoded, a `&` or `#` in a search would inject parameters.
        if (value !== undefined) request.query({ [name]: encodeURIComponent(String(value)) });
      }
      if (requestOptions.headers !== undefined) request.headers({ ...requestOptions.headers });
      let response: Response;
      try {
        response = await send(request);
      } catch (error) {
        state.end();
        throw authFailure ?? state.failure ?? (error instanceof GraphError ? error : unreachable(error));
      }
      try {
        if (!response.ok) throw await errorFromResponse(response);
        return await read(response);
      } catch (error) {
        throw brokenOff(error);
      } finally {
        state.end();
      }
    };

    /** `runUntraced` in the span of one Graph request: the token, every attempt and the body read. */
    const run = <T>(
      method: string,
      path: string,
      requestOptions: GraphRequestOptions,
      send: (request: ReturnType<Client['api']>) => Promise<Response>,
      read: (response: Response) => Promise<T>,
    ): Promise<T> => traceGraphRequest({ method, url: path, baseUrl: options.baseUrl, tenantId: caller.identity.tid }, () => runUntraced(method, path, requestOptions, send, read));

    return {
      apiBase,
      get: <T>(path: string, requestOptions: GraphRequestOptions = {}) => run('GET', path, requestOptions, (request) => request.get(), readJson<T>),
      getNext: <T>(nextLink: string, requestOptions: GraphRequestOptions = {}) => {
        if (!nextLink.startsWith(`${apiBase}/`)) return Promise.reject(new GraphError('cursor_invalid', 'The paging link does not point at Microsoft Graph'));
        return run('GET', nextLink, requestOptions, (request) => request.get(), readJson<T>);
      },
      post: <T>(path: string, body: unknown, requestOptions: GraphRequestOptions = {}) => run('POST', path, requestOptions, (request) => request.post(body), readJson<T>),
      patch: <T>(path: string, body: unknown, requestOptions: GraphRequestOptions = {}) => run('PATCH', path, requestOptions, (request) => request.patch(body), readJson<T>),
      delete: (path, requestOptions = {}) => run('DELETE', path, requestOptions, (request) => request.delete(), async (response) => {
        await response.body?.cancel().catch(() => undefined);
      }),
      getBytes: (path, requestOptions) => run('GET', path, requestOptions, (request) => request.get(), (response) => readCapped(response, requestOptions.maxBytes)),
    };
  };
}
