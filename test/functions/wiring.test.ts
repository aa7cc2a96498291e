// The Functions triggers, invoked with HttpRequest/InvocationContext, answer exactly as the local host serving the same app does.
import functions from '@azure/functions';
import type { HttpRequestInit, HttpResponseInit, InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_CLIENT_ID, DEV_OTHER_TENANT_ID, DEV_TENANT_ID } from '../../shared/config/devDefaults.js';
import { parseConfig, type Env } from '../../shared/config/parseConfig.js';
import { createApp } from '../../shared/mcp/createApp.js';
import type { FunctionsHandler } from '../../functions/register.js';
import { GRAPH_ROUTES, seedUserData } from '../../sandbox/graph/graphRoutes.js';
import { startLocalGraph, type LocalGraph } from '../../sandbox/graph/localGraph.js';
import type { RunningServer } from '../../sandbox/httpsServer.js';
import { startIdentityProvider, type IdentityProvider } from '../../sandbox/identityProvider.js';
import { startLocalHost } from '../../sandbox/localHost.js';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { testTls } from '../support/testStack.js';
import { replaceProcessSettings } from '../support/processSettings.js';

const FUNCTIONS_ORIGIN = 'http://localhost:7071';
/** Headers whose equality matters to clients. */
const COMPARED_HEADERS = ['content-type', 'www-authenticate', 'allow', 'cache-control', 'retry-after', 'access-control-allow-origin'] as const;

interface Answer {
  readonly status: number;
  readonly headers: Partial<Record<(typeof COMPARED_HEADERS)[number], string>>;
  readonly body: unknown;
}

interface Call {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

let idp: IdentityProvider;
let graph: LocalGraph;
let localHost: RunningServer;
let token: string;
let handlers: { mcp: FunctionsHandler; mcpTenant: FunctionsHandler; wellKnown: FunctionsHandler; health: FunctionsHandler };
const logLines: string[] = [];
let restoreSettings: () => void;

beforeAll(async () => {
  const tls = testTls();
  idp = await startIdentityProvider({ tls, clientId: DEV_CLIENT_ID });
  graph = await startLocalGraph({ tls, idp, routes: GRAPH_ROUTES, seed: seedUserData });
  const env: Env = { MCP_DEV_MODE: '1', ENTRA_AUTHORITY_HOST: idp.url, GRAPH_BASE_URL: graph.url, TABLES_CONNECTION_STRING: inject('tablesConnectionString') };
  // The config singleton parses process.env when the triggers are first imported: set it before that
  // (every setting this server reads is cleared first, so the worker's own environment cannot leak in).
  restoreSettings = replaceProcessSettings(env);

  const mcpModule = await import('../../functions/mcp.js');
  const metadataModule = await import('../../functions/protectedResourceMetadata.js');
  const healthModule = await import('../../functions/health.js');
  handlers = {
    mcp: mcpModule.mcp,
    mcpTenant: mcpModule.mcpTenant,
    wellKnown: metadataModule.wellKnown,
    health: healthModule.health,
  };
  localHost = await startLocalHost(createApp(parseConfig(env)));
  token = await idp.accessToken(ADELE);
});

afterAll(async () => {
  await localHost.close();
  await graph.close();
  await idp.close();
  restoreSettings();
});

function context(): InvocationContext {
  return new functions.InvocationContext({
    invocationId: 'test',
    functionName: 'test',
    logHandler: (_level, ...args) => logLines.push(args.map(String).join(' ')),
  });
}

function answerOf(status: number, headers: Headers, text: string): Answer {
  const picked: Partial<Record<(typeof COMPARED_HEADERS)[number], string>> = {};
  for (const name of COMPARED_HEADERS) {
    const value = headers.get(name);
    if (value !== null) picked[name] = value;
  }
  return { status, headers: picked, body: text === '' ? undefined : JSON.parse(text) as unknown };
}

async function bodyText(init: HttpResponseInit): Promise<string> {
  const body = init.body;
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  return new Response(body as BodyInit).text();
}

async function viaFunctions(handler: FunctionsHandler, call: Call): Promise<Answer> {
  const request = new functions.HttpRequest({
    method: call.method,
    url: `${FUNCTIONS_ORIGIN}${call.path}`,
    headers: { host: 'localhost:7071', ...call.headers },
    ...(call.body !== undefined && { body: { string: call.body } }),
  });
  const init = await handler(request, context());
  return answerOf(init.status ?? 200, new Headers(init.headers), await bodyText(init));
}

/** The local host's answer, with its origin rewritten to the Functions one so both can be compared. */
async function viaLocalHost(call: Call): Promise<Answer> {
  const response = await fetch(`${localHost.url}${call.path}`, {
    method: call.method,
    headers: call.headers,
    ...(call.body !== undefined && { body: call.body }),
  });
  const rewrite = (text: string): string => text.replaceAll(localHost.url, FUNCTIONS_ORIGIN);
  const headers = new Headers();
  response.headers.forEach((value, name) => headers.set(name, rewrite(value)));
  return answerOf(response.status, headers, rewrite(await response.text()));
}

async function expectSameAnswer(handler: FunctionsHandler, call: Call): Promise<Answer> {
  const [functionsAnswer, localAnswer] = [await viaFunctions(handler, call), await viaLocalHost(call)];
  expect(functionsAnswer).toEqual(localAnswer);
  return functionsAnswer;
}

const rpc = (method: string, params: Record<string, unknown>, id = 1): string => JSON.stringify({ jsonrpc: '2.0', id, method, params });

describe('Functions triggers answer like the local host', () => {
  it('initialize', async () => {
    const answer = await expectSameAnswer(handlers.mcp, { method: 'POST', path: '/mcp', headers: mcpHeaders(token), body: JSON.stringify(INITIALIZE) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ jsonrpc: '2.0', id: 1, result: { protocolVersion: '2025-11-25', serverInfo: { name: 'onbehalf' } } });
  });

  it('tools/list', async () => {
    const answer = await expectSameAnswer(handlers.mcp, {
      method: 'POST', path: '/mcp', headers: mcpHeaders(token, { 'mcp-protocol-version': '2025-11-25' }), body: rpc('tools/list', {}),
    });
    expect(answer.status).toBe(200);
    const names = (answer.body as { result?: { tools?: { name: string }[] } }).result?.tools?.map((tool) => tool.name);
    expect(names).toContain('whoami');
  });

  it('whoami', async () => {
    const answer = await expectSameAnswer(handlers.mcp, {
      method: 'POST', path: '/mcp', headers: mcpHeaders(token, { 'mcp-protocol-version': '2025-11-25' }), body: rpc('tools/call', { name: 'whoami', arguments: {} }),
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ result: { structuredContent: { tid: ADELE.tid, oid: ADELE.oid, upn: ADELE.upn } } });
    expect(answer.body).not.toMatchObject({ result: { isError: true } });
  });

  it('a missing token: 401 with the same challenge', async () => {
    const answer = await expectSameAnswer(handlers.mcp, { method: 'POST', path: '/mcp', headers: mcpHeaders(undefined), body: JSON.stringify(INITIALIZE) });
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toContain(`resource_metadata="${FUNCTIONS_ORIGIN}/.well-known/oauth-protected-resource/mcp"`);
    expect(answer.body).toMatchObject({ error: { data: { code: 'token_missing' } } });
  });

  it('GET /mcp: 405 with Allow: POST', async () => {
    const answer = await expectSameAnswer(handlers.mcp, { method: 'GET', path: '/mcp', headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('POST');
  });

  it('bad JSON: 400 parse error', async () => {
    const answer = await expectSameAnswer(handlers.mcp, { method: 'POST', path: '/mcp', headers: mcpHeaders(token), body: '{"jsonrpc":' });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: { code: -32700, data: { code: 'parse_error' } } });
  });

  it.each(['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp'])('protected resource metadata at %s', async (path) => {
    const answer = await expectSameAnswer(handlers.wellKnown, { method: 'GET', path, headers: {} });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ resource: `${FUNCTIONS_ORIGIN}/mcp`, authorization_servers: [`${idp.url}/${DEV_TENANT_ID}/v2.0`] });
  });

  it('a tenant\'s own resource: its metadata and its challenge', async () => {
    const metadata = await expectSameAnswer(handlers.wellKnown, { method: 'GET', path: `/.well-known/oauth-protected-resource/tenants/${DEV_OTHER_TENANT_ID}/mcp`, headers: {} });
    expect(metadata.body).toMatchObject({ resource: `${FUNCTIONS_ORIGIN}/tenants/${DEV_OTHER_TENANT_ID}/mcp`, authorization_servers: [`${idp.url}/${DEV_OTHER_TENANT_ID}/v2.0`] });
    const refused = await expectSameAnswer(handlers.mcpTenant, { method: 'POST', path: `/tenants/${DEV_OTHER_TENANT_ID}/mcp`, headers: mcpHeaders(undefined), body: JSON.stringify(INITIALIZE) });
    expect(refused.headers['www-authenticate']).toContain(`resource_metadata="${FUNCTIONS_ORIGIN}/.well-known/oauth-protected-resource/tenants/${DEV_OTHER_TENANT_ID}/mcp"`);
  });

  it('another well-known document: a 404 a browser page can read', async () => {
    const answer = await expectSameAnswer(handlers.wellKnown, { method: 'GET', path: '/.well-known/oauth-authorization-server', headers: { origin: 'http://localhost:6274' } });
    expect(answer.status).toBe(404);
    expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:6274');
  });

  it('healthz', async () => {
    const answer = await expectSameAnswer(handlers.health, { method: 'GET', path: '/healthz', headers: {} });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'ok' });
  });

  it('the challenge and the metadata come from the admitted Host, never from the request URL\'s authority', async () => {
    const call = (url: string, init: { method: string; body?: string; headers: Record<string, string> }) => new functions.HttpRequest({
      url, method: init.method, headers: { host: 'localhost:7071', ...init.headers }, ...(init.body !== undefined && { body: { string: init.body } }),
    });
    const refused = await handlers.mcp(call('http://evil.example/mcp', { method: 'POST', headers: mcpHeaders(undefined), body: JSON.stringify(INITIALIZE) }), context());
    expect(refused.status).toBe(401);
    expect(new Headers(refused.headers).get('www-authenticate')).toContain(`resource_metadata="${FUNCTIONS_ORIGIN}/.well-known/oauth-protected-resource/mcp"`);
    const metadata = await handlers.wellKnown(call('http://evil.example/.well-known/oauth-protected-resource/mcp', { method: 'GET', headers: {} }), context());
    expect(JSON.parse(await bodyText(metadata))).toMatchObject({ resource: `${FUNCTIONS_ORIGIN}/mcp` });
  });

  it('never logs the token', async () => {
    const unscoped = await idp.accessToken(ADELE, { scp: 'other' });
    await viaFunctions(handlers.mcp, { method: 'POST', path: '/mcp', headers: mcpHeaders(unscoped), body: JSON.stringify(INITIALIZE) });
    await viaFunctions(handlers.mcp, { method: 'POST', path: '/mcp', headers: mcpHeaders(token), body: rpc('tools/call', { name: 'whoami', arguments: {} }) });
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(line.includes(unscoped)).toBe(false);
    for (const line of logLines) expect(line.includes(token)).toBe(false);
  });
});

describe('request bodies reach the handler as a stream, read under the 1 MiB cap', () => {
  const CHUNK = 64 * 1024;

  /** A body of `total` bytes produced only as it is read; `pulled()` tells how much was asked for. */
  function countedBody(total: number, text = ' '): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
    let sent = 0;
    const chunk = new TextEncoder().encode(text.repeat(CHUNK).slice(0, CHUNK));
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) {
          controller.close();
          return;
        }
        const size = Math.min(CHUNK, total - sent);
        sent += size;
        controller.enqueue(chunk.subarray(0, size));
      },
    }, { highWaterMark: 0 });
    return { stream, pulled: () => sent };
  }

  /** A Functions request whose body streams, as the library builds it when HTTP streams are on. */
  function streamingRequest(headers: Record<string, string>, stream: ReadableStream<Uint8Array>): InstanceType<typeof functions.HttpRequest> {
    const nativeRequest = new Request(`${FUNCTIONS_ORIGIN}/mcp`, { method: 'POST', headers: { host: 'localhost:7071', ...headers }, body: stream, duplex: 'half' } as RequestInit);
    return new functions.HttpRequest({ nativeRequest } as unknown as HttpRequestInit);
  }

  const codeOf = async (init: HttpResponseInit): Promise<unknown> => (JSON.parse(await bodyText(init)) as { error: { data: { code: string } } }).error.data.code;

  it('over the cap without Content-Length: 413 once the count passes it, having pulled no more than one chunk past it', async () => {
    const body = countedBody(16 * 1024 * 1024);
    const answer = await handlers.mcp(streamingRequest(mcpHeaders(token), body.stream), context());
    expect(answer.status).toBe(413);
    expect(await codeOf(answer)).toBe('body_too_large');
    expect(body.pulled()).toBeLessThanOrEqual(1024 * 1024 + CHUNK);
  });

  it('a declared Content-Length over the cap: 413 before a byte is read', async () => {
    const body = countedBody(2 * 1024 * 1024);
    const answer = await handlers.mcp(streamingRequest(mcpHeaders(token, { 'content-length': String(2 * 1024 * 1024) }), body.stream), context());
    expect(answer.status).toBe(413);
    expect(body.pulled()).toBe(0);
  });

  it('a refused caller\'s body is never read', async () => {
    const body = countedBody(4 * 1024 * 1024);
    const answer = await handlers.mcp(streamingRequest(mcpHeaders(undefined), body.stream), context());
    expect(answer.status).toBe(401);
    expect(body.pulled()).toBe(0);
  });

  it('a body that fits is read and answered', async () => {
    const text = JSON.stringify(INITIALIZE);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text));
        controller.close();
      },
    });
    const answer = await handlers.mcp(streamingRequest(mcpHeaders(token), stream), context());
    expect(answer.status).toBe(200);
    expect(JSON.parse(await bodyText(answer))).toMatchObject({ result: { serverInfo: { name: 'onbehalf' } } });
  });

  it('a body given as bytes (the buffered form) still works, and over the cap is refused', async () => {
    const request = (body: string) => new functions.HttpRequest({ method: 'POST', url: `${FUNCTIONS_ORIGIN}/mcp`, headers: { host: 'localhost:7071', ...mcpHeaders(token) }, body: { string: body } });
    expect((await handlers.mcp(request(JSON.stringify(INITIALIZE)), context())).status).toBe(200);
    expect((await handlers.mcp(request(' '.repeat(1024 * 1024 + 1)), context())).status).toBe(413);
  });
});
