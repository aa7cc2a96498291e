// A local Microsoft Graph stand-in over https: checks the OBO token, serves each user only their own data.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { listenHttps, readBody, sendJson, type RunningServer } from '../httpsServer.js';
import { GRAPH_AUDIENCE, type IdentityProvider } from '../identityProvider.js';
import { SAMPLE_USERS, type SampleUser } from '../sampleUsers.js';
import type { TlsMaterial } from '../tls.js';
import type { HostileReply } from './hostileGraph.js';
import { emptyUserData, type UserData } from './userData.js';

export interface GraphContext {
  readonly data: UserData;
  readonly url: URL;
  /** Capture groups of the route's pattern. */
  readonly params: readonly string[];
  readonly body: unknown;
  readonly headers: IncomingMessage['headers'];
  /** Every user's data in the token's tenant: the directory, for people and schedule look-ups. */
  readonly tenantUsers: readonly UserData[];
  /** The token's delegated scopes, for routes whose answer depends on them (Microsoft Search, by entity type). */
  readonly scopes: readonly string[];
}

export interface GraphReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Raw bytes (file content); `body` is ignored when set. */
  readonly bytes?: Buffer;
}

export interface GraphRoute {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Matched against the path after `/v1.0`. */
  readonly pattern: RegExp;
  /** The token's `scp` must hold at least one of these. */
  readonly anyScope: readonly string[];
  /**
   * Served before any token check, to anyone: pre-authenticated URLs such as the download URL a file's
   * `/content` redirects to. Its context has no user (empty `data`, no `tenantUsers`); `anyScope` is ignored.
   */
  readonly anonymous?: boolean;
  handle(context: GraphContext): GraphReply | Promise<GraphReply>;
}

/** A planned failure: the next `times` matching requests get `status` (with Retry-After when given). */
export interface GraphFault {
  readonly status: number;
  readonly retryAfterSeconds?: number;
  times: number;
  readonly path?: RegExp;
}

export interface RecordedGraphRequest {
  readonly method: string;
  readonly path: string;
  readonly url: string;
  /** The Host header: the authority the caller meant (one server answers to several). */
  readonly host: string | undefined;
  readonly authorization: string | undefined;
  readonly oid: string | undefined;
  readonly scopes: readonly string[];
  readonly status: number;
  /** The JSON body as parsed, for requests that sent one. */
  readonly body?: unknown;
}

export interface LocalGraph extends RunningServer {
  readonly requests: RecordedGraphRequest[];
  readonly faults: GraphFault[];
  /** Hostile answers to send instead of the real ones (see hostileGraph.ts); only tests, in process, can add them. */
  readonly hostile: HostileReply[];
  /** The data of a user (created, empty, on first use). */
  dataOf(user: SampleUser): UserData;
}

export interface LocalGraphOptions {
  readonly tls: TlsMaterial;
  readonly port?: number;
  readonly idp: IdentityProvider;
  readonly routes: readonly GraphRoute[];
  /** Fills a user's data when it is first used. */
  readonly seed?: (data: UserData) => void;
}

export function graphError(status: number, code: string, message: string): GraphReply {
  return { status, body: { error: { code, message, innerError: { 'request-id': randomUUID(), date: new Date().toISOString() } } } };
}

/** The `data` of an anonymous route's context: nobody's. */
const NOBODY = emptyUserData({ key: 'anonymous', tid: '', oid: '', upn: '', name: 'anonymous' });

export async function startLocalGraph(options: LocalGraphOptions): Promise<LocalGraph> {
  // The identity provider's keys as published now (rotation included), read in process.
  const keys: JWTVerifyGetKey = (header, token) => createLocalJWKSet(options.idp.jwks())(header, token);
  const store = new Map<string, UserData>();
  const requests: RecordedGraphRequest[] = [];
  const faults: GraphFault[] = [];
  const hostile: HostileReply[] = [];
  let base = '';

  const dataOf = (user: SampleUser): UserData => {
    const key = `${user.tid}:${user.oid}`;
    let data = store.get(key);
    if (data === undefined) {
      data = emptyUserData(user);
      options.seed?.(data);
      store.set(key, data);
    }
    return data;
  };

  const authenticate = async (authorization: string | undefined): Promise<JWTPayload | GraphReply> => {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (token === undefined) return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    try {
      const { payload } = await jwtVerify(token, keys, { algorithms: ['RS256'], audience: GRAPH_AUDIENCE });
      if (payload.iss !== options.idp.issuer(String(payload.tid))) return graphError(401, 'InvalidAuthenticationToken', 'Invalid issuer.');
      return payload;
    } catch {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience or signature.');
    }
  };

  type Answer = GraphReply & { payload?: JWTPayload; hostile?: HostileReply; requestBody?: unknown };
  const respond = async (request: IncomingMessage): Promise<Answer> => {
    const url = new URL(request.url ?? '/', base);
    const path = url.pathname.replace(/^\/v1\.0/, '');
    for (const route of options.routes) {
      const match = route.anonymous === true && route.method === request.method ? route.pattern.exec(path) : null;
      if (match !== null) return route.handle({ data: NOBODY, url, params: match.slice(1), body: undefined, headers: request.headers, tenantUsers: [], scopes: [] });
    }
    const auth = await authenticate(request.headers.authorization);
    if ('status' in auth && typeof auth.status === 'number') return auth as GraphReply;
    const payload = auth as JWTPayload;
    const fault = faults.find((candidate) => candidate.times > 0 && (candidate.path === undefined || candidate.path.test(path)));
    if (fault !== undefined) {
      fault.times--;
      const reply = graphError(fault.status, fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', 'Injected failure.');
      return { ...reply, payload, headers: fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) } };
    }
    const planned = hostile.find((candidate) => (candidate.times === undefined || candidate.times > 0) && (candidate.path === undefined || candidate.path.test(path)));
    if (planned !== undefined) {
      if (planned.times !== undefined) planned.times--;
      return { status: planned.status, payload, hostile: planned };
    }
    const user = SAMPLE_USERS.find((candidate) => candidate.oid === payload.oid && candidate.tid === payload.tid);
    if (user === undefined) return { ...graphError(404, 'Request_ResourceNotFound', 'User not found.'), payload };
    for (const route of options.routes) {
      if (route.anonymous === true || route.method !== request.method) continue;
      const match = route.pattern.exec(path);
      if (match === null) continue;
      const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ') : [];
      if (!route.anyScope.some((scope) => scopes.includes(scope))) {
        return { ...graphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.'), payload };
      }
      const raw = await readBody(request);
      let body: unknown;
      try {
        body = raw === '' ? undefined : JSON.parse(raw);
      } catch {
        return { ...graphError(400, 'BadRequest', 'Unable to read JSON request payload.'), payload };
      }
      const tenantUsers = SAMPLE_USERS.filter((candidate) => candidate.tid === user.tid).map(dataOf);
      const reply = await route.handle({ data: dataOf(user), url, params: match.slice(1), body, headers: request.headers, tenantUsers, scopes });
      return { ...reply, payload, requestBody: body };
    }
    return { ...graphError(400, 'BadRequest', `Resource not found for the segment '${path}'.`), payload };
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    void respond(request).then(
      (reply) => {
        requests.push({
          method: request.method ?? 'GET',
          path: new URL(request.url ?? '/', base).pathname,
          url: request.url ?? '/',
          host: request.headers.host,
          authorization: request.headers.authorization,
          oid: typeof reply.payload?.oid === 'string' ? reply.payload.oid : undefined,
          scopes: typeof reply.payload?.scp === 'string' ? reply.payload.scp.split(' ').filter((scope) => scope !== '') : [],
          status: reply.status,
          ...(reply.requestBody !== undefined && { body: reply.requestBody }),
        });
        const headers = { 'request-id': randomUUID(), ...reply.headers };
        if (reply.hostile !== undefined) {
          reply.hostile.send(response, new URL(request.url ?? '/', base));
        } else if (reply.bytes !== undefined) {
          response.writeHead(reply.status, { 'content-type': 'application/octet-stream', ...headers }).end(reply.bytes);
        } else if (reply.body === undefined) {
          response.writeHead(reply.status, headers).end();
        } else {
          sendJson(response, reply.status, reply.body, headers);
        }
      },
      () => sendJson(response, 500, graphError(500, 'InternalServerError', 'The local Graph failed.').body),
    );
  };

  const server = await listenHttps(options.tls, options.port ?? 0, listener);
  base = server.url;
  return { ...server, requests, faults, hostile, dataOf };
}
