// JSON-RPC bodies (single and batch, valid-ish and hostile), raw body text and request headers, generated and sent over
// real HTTP to the real server: never a 5xx, never an internal error, never a Graph token off Graph's origin.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PROTOCOL_VERSIONS } from '../../shared/mcp/serverInfo.js';
import { ADELE, MEGAN } from '../../sandbox/sampleUsers.js';
import { rawRequest } from '../http/rawRequest.js';
import { INITIALIZE } from '../support/mcpClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { deepJson, hostileString, messageCount, rpcBody, rpcMessage, sessionIdArbitrary, toJsonText } from './arbitraries.js';
import { caseCounter, FUZZ_TEST_TIMEOUT_MS, fuzzParameters } from './fuzzSettings.js';
import { expectNoServerFault, expectOnlyOwnData, expectTokensStayHome } from './invariants.js';
import { seedMarkedUserData } from './markedData.js';

let stack: TestStack;
let adele: string;
const tokens: Record<string, string> = {};
const cases = caseCounter('protocol');

beforeAll(async () => {
  stack = await startTestStack({
    seed: seedMarkedUserData,
    // Budgets on, so generated bodies go through them too, but high enough never to stop the run.
    env: { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_USER_PER_MINUTE: '1000000' },
    app: { refusalsPerMinute: 0 },
  });
  adele = await stack.idp.accessToken(ADELE);
  const past = Math.floor(Date.now() / 1000) - 3600;
  Object.assign(tokens, {
    adele,
    megan: await stack.idp.accessToken(MEGAN),
    expired: await stack.idp.accessToken(ADELE, { exp: past, nbf: past - 60, iat: past - 60 }),
    otherAudience: await stack.idp.accessToken(ADELE, { aud: 'api://someone-else' }),
    noScope: await stack.idp.accessToken(ADELE, { scp: undefined }),
    oddScopes: await stack.idp.accessToken(ADELE, { scp: 'access_as_user \u0000 ../x %2F' }),
    oddNames: await stack.idp.accessToken(ADELE, { name: '\u001b[31mAdele\r\nx', preferred_username: '../../x@contoso.example' }),
    appOnly: await stack.idp.accessToken(ADELE, { idtyp: 'app', scp: undefined, roles: ['x'] }),
  });
});
afterAll(async () => {
  cases.report();
  await stack?.close();
});

interface Answer {
  readonly status: number;
  readonly text: string;
}

async function post(body: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(stack.mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${adele}`, ...headers },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('generated JSON-RPC bodies', () => {
  it('single messages and batches of any shape: never a 5xx or internal error', async () => {
    await fc.assert(fc.asyncProperty(rpcBody, fc.constantFrom(...PROTOCOL_VERSIONS), async (body, version) => {
      cases.add(messageCount(body));
      stack.graph.requests.length = 0;
      const text = toJsonText(body);
      const answer = await post(text, { 'mcp-protocol-version': version });
      expectNoServerFault(answer.status, answer.text, () => `${version} ${text.slice(0, 1000)}`);
      expectOnlyOwnData(answer.text, ADELE, [MEGAN], () => text.slice(0, 1000));
      expectTokensStayHome(stack.graph, [ADELE], [], []);
    }), fuzzParameters(250));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('body text that is malformed, deep, huge or not JSON at all: never a 5xx or internal error', async () => {
    const message = toJsonText(INITIALIZE);
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.integer({ min: 0, max: message.length }).map((cut) => message.slice(0, cut)),
      fc.constantFrom('', ' ', 'null', '0', '"x"', 'true', '[]', '[[]]', '[null]', '{}', '\uFEFF{}', '{"jsonrpc":"2.0","method":"ping","id":1,"id":2}',
        '{"jsonrpc":"2.0","method":"ping","id":1e999}', '{"jsonrpc":"2.0","method":"ping","id":-0}', '{"__proto__":{"method":"ping"},"id":1,"jsonrpc":"2.0"}'),
      fc.tuple(fc.constantFrom(1_000, 10_000, 100_000, 400_000), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([depth, kind]) => deepJson(depth, kind)),
      fc.tuple(fc.constantFrom(1_000, 100_000), fc.constantFrom<'array' | 'object'>('array', 'object'), fc.constantFrom('capabilities', 'clientInfo', 'protocolVersion', '_meta'))
        .map(([depth, kind, field]) => `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"},"${field}":${deepJson(depth, kind)}}}`),
      fc.tuple(fc.constantFrom(1_000, 100_000), fc.constantFrom('ping', 'tools/list', 'tools/call', 'notifications/cancelled', 'nope'))
        .map(([depth, method]) => `{"jsonrpc":"2.0","id":${deepJson(depth, 'array')},"method":"${method}","params":${deepJson(depth, 'object')}}`),
      fc.tuple(rpcMessage, fc.constantFrom(200_000, 1_100_000)).map(([item, size]) => `[${toJsonText(item)},${JSON.stringify('x'.repeat(size))}]`),
    );
    await fc.assert(fc.asyncProperty(text, fc.constantFrom(...PROTOCOL_VERSIONS), async (body, version) => {
      cases.add(1);
      const answer = await post(body, { 'mcp-protocol-version': version });
      expectNoServerFault(answer.status, answer.text, () => JSON.stringify(body.slice(0, 300)));
    }), fuzzParameters(100));
  }, FUZZ_TEST_TIMEOUT_MS);
});

/** Header values node:http will send (tab, visible ASCII, obs-text). */
const headerText = fc.string({ unit: fc.constantFrom(...'\t !"#$%&\'()*+,-./0123456789:;<=>?@AZaz[\\]^_`{|}~\u0080\u00ff\u00e9'), maxLength: 80 });
const headerSafe = (value: string) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value);
const absentOr = (arbitrary: fc.Arbitrary<string>) => fc.option(arbitrary, { nil: undefined });

describe('generated request headers', () => {
  it('Accept, Content-Type, MCP-Protocol-Version, Mcp-Session-Id, Origin, Host, Authorization of any shape: never a 5xx or internal error', async () => {
    const port = stack.host.port;
    const bearer = (name: string) => `Bearer ${tokens[name] ?? ''}`;
    const authorization = fc.oneof(
      { arbitrary: fc.constantFrom(...Object.keys(tokens)).map(bearer), weight: 6 },
      { arbitrary: fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic dXNlcjpwYXNz', 'Bearer a.b.c', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.', `Bearer  ${adele}`,
        `bearer ${adele}`, `Bearer ${adele} extra`, `Bearer ${adele}x`, `Bearer ${adele.split('.').slice(0, 2).join('.')}.`, `Bearer ${'a'.repeat(12_000)}`, `Bearer ${adele}, Bearer ${adele}`), weight: 3 },
      { arbitrary: headerText.map((text) => `Bearer ${text}`), weight: 2 },
    );
    const headers = fc.record({
      accept: absentOr(fc.oneof(fc.constantFrom('application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*', 'application/*, text/*', '',
        'text/event-stream, application/json', 'APPLICATION/JSON, TEXT/EVENT-STREAM', 'application/json;q=0, text/event-stream;q=0'), headerText)),
      'content-type': absentOr(fc.oneof(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json;charset=latin1', 'APPLICATION/JSON', 'text/plain',
        'application/json-seq', 'multipart/form-data; boundary=x', ''), headerText)),
      'mcp-protocol-version': absentOr(fc.oneof(fc.constantFrom(...PROTOCOL_VERSIONS, '2024-11-05', '2099-01-01', ''), headerText)),
      'mcp-session-id': absentOr(sessionIdArbitrary([]).filter(headerSafe)),
      origin: absentOr(fc.oneof(fc.constantFrom('null', 'http://localhost', `http://localhost:${port}`, `http://127.0.0.1:${port}`, 'https://evil.example', 'vscode-webview://x', 'file://'), headerText)),
      host: fc.oneof({ arbitrary: fc.constantFrom(`localhost:${port}`, `127.0.0.1:${port}`, 'localhost', `[::1]:${port}`), weight: 4 },
        { arbitrary: fc.constantFrom('evil.example', '', 'localhost:99999', 'localhost:abc', 'a b', 'localhost.', `LOCALHOST:${port}`, 'localhost@evil.example', '[::1'), weight: 1 },
        { arbitrary: headerText, weight: 1 }),
      authorization: absentOr(authorization),
      'x-forwarded-for': absentOr(fc.oneof(fc.ipV4(), fc.ipV6(), headerText)),
    }, { requiredKeys: ['host'] });
    const method = fc.oneof({ arbitrary: fc.constant('POST'), weight: 6 }, { arbitrary: fc.constantFrom('GET', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'), weight: 1 });
    const path = fc.oneof({ arbitrary: fc.constant('/mcp'), weight: 6 },
      { arbitrary: fc.constantFrom('/mcp/', '/MCP', '/mcp?x=1', '//mcp', '/mcp/../mcp', '/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource', '/health', '/', '/%2e%2e/mcp', 'http://evil.example/mcp', '*'), weight: 1 });
    const body = fc.oneof(
      fc.constant(toJsonText(INITIALIZE)),
      fc.constant('{"jsonrpc":"2.0","id":2,"method":"tools/list"}'),
      fc.constant('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"whoami","arguments":{}}}'),
      rpcBody.map(toJsonText),
      fc.constant(undefined),
    );
    await fc.assert(fc.asyncProperty(method, path, headers, body, async (verb, target, generated, text) => {
      cases.add(1);
      stack.graph.requests.length = 0;
      const sent = Object.fromEntries(Object.entries(generated).filter((entry): entry is [string, string] => entry[1] !== undefined));
      const withBody = text !== undefined && verb !== 'GET' && verb !== 'HEAD' && verb !== 'TRACE';
      const answer = await rawRequest(port, { method: verb, path: target, headers: sent, ...(withBody && { body: text }) });
      expectNoServerFault(answer.status, answer.text, () => `${verb} ${target} ${JSON.stringify(sent).slice(0, 600)}`);
      // The token decides whose data comes back: Megan's token sees Megan's, anyone else's never sees hers.
      const user = sent['authorization']?.includes(tokens['megan'] ?? '-') === true ? MEGAN : ADELE;
      expectOnlyOwnData(answer.text, user, [ADELE, MEGAN], () => `${verb} ${target}`);
      expectTokensStayHome(stack.graph, [ADELE, MEGAN], [], []);
    }), fuzzParameters(350));
  }, FUZZ_TEST_TIMEOUT_MS);

  it('hostile strings as any header value: never a 5xx', async () => {
    const names = fc.constantFrom('accept', 'content-type', 'mcp-protocol-version', 'mcp-session-id', 'origin', 'authorization', 'x-forwarded-for', 'last-event-id', 'content-encoding', 'transfer-encoding-x', 'cookie', 'forwarded', 'x-forwarded-host', 'x-forwarded-proto', 'traceparent', 'tracestate', 'baggage');
    await fc.assert(fc.asyncProperty(fc.dictionary(names, hostileString.filter(headerSafe), { minKeys: 1, maxKeys: 4 }), async (generated) => {
      cases.add(1);
      const answer = await rawRequest(stack.host.port, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${adele}`, ...generated },
        body: toJsonText(INITIALIZE),
      });
      expectNoServerFault(answer.status, answer.text, () => JSON.stringify(generated).slice(0, 600));
    }), fuzzParameters(150));
  }, FUZZ_TEST_TIMEOUT_MS);
});
