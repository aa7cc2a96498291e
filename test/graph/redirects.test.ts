// The Graph token goes to GRAPH_BASE_URL's origin and nowhere else: Graph redirecting in every shape, watched from the receiving end.
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REDIRECTS } from '../../shared/graph/graphFetch.js';
import { redirectReply, redirectWithoutLocation, startForeignHost, type ForeignHost } from '../../sandbox/graph/hostileGraph.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { callTool, connectAs, errorCode } from '../support/toolCalls.js';
import { startTestStack, testTls, type TestStack } from '../support/testStack.js';

let stack: TestStack;
let adele: McpClient;
/** Another https origin, as Graph's download hosts are. */
let foreign: ForeignHost;
/** Another origin over plain http. */
let plain: ForeignHost;

beforeAll(async () => {
  stack = await startTestStack();
  adele = await connectAs(stack, ADELE);
  [foreign, plain] = await Promise.all([startForeignHost({ tls: testTls() }), startForeignHost({ tls: testTls(), protocol: 'http' })]);
});
afterAll(async () => {
  await adele.close();
  await Promise.all([foreign.close(), plain.close(), stack.close()]);
});
beforeEach(() => {
  stack.graph.hostile.length = 0;
  stack.graph.requests.length = 0;
  foreign.requests.length = 0;
  plain.requests.length = 0;
});
afterEach(() => {
  // The invariant, after every case: nothing off Graph's origin ever saw a token.
  for (const request of [...foreign.requests, ...plain.requests]) expect(request.authorization).toBeUndefined();
});

const whoami = () => callTool(adele, 'whoami', { profile: true });
/** Every request the local Graph saw in this case (the list is emptied before each). */
const meRequests = () => stack.graph.requests;
const redirectMe = (location: string | ((url: URL) => string), times = 1, status = 302) => {
  stack.graph.hostile.push({ ...redirectReply(location, status), path: /^\/me$/, times });
};
const graphPort = () => new URL(stack.graph.url).port;

describe('Graph redirects that stay on Graph\'s origin keep the token', () => {
  it.each([
    ['relative', () => '/v1.0/me?$select=displayName'],
    ['absolute, same origin', () => `${stack.graph.url}/v1.0/me?$select=displayName`],
    ['scheme-relative, same origin', () => `//localhost:${graphPort()}/v1.0/me?$select=displayName`],
  ])('%s: followed with the token', async (_shape, location) => {
    redirectMe(location());
    const result = await whoami();
    expect(result.isError).toBeFalsy();
    const [first, second] = meRequests();
    expect(first).toMatchObject({ path: '/v1.0/me', status: 302, oid: ADELE.oid });
    expect(second).toMatchObject({ path: '/v1.0/me', status: 200, oid: ADELE.oid });
    expect(second?.authorization).toMatch(/^Bearer /);
  });

  it.each([
    // The URL parser reads these as paths on Graph's own origin: Graph gets the token and answers for itself.
    ['https:/host/x', () => `https:/localhost:${foreign.port}/x`],
    ['https:host/x', () => `https:localhost:${foreign.port}/x`],
  ])('%s resolves on Graph\'s origin and never reaches the other host', async (_shape, location) => {
    redirectMe(location());
    expect(errorCode(await whoami())).toBe('bad_request');
    expect(foreign.requests).toEqual([]);
    const hop = meRequests()[1];
    expect(new URL(hop?.url ?? '', stack.graph.url).pathname).toContain(`localhost:${foreign.port}/x`);
    expect(hop?.authorization).toMatch(/^Bearer /);
  });
});

describe('Graph redirects to another https origin are followed without the token', () => {
  it.each([
    ['absolute', () => `${foreign.url}/download/1`],
    ['the same server under another name', () => `https://127.0.0.1:${graphPort()}/v1.0/me`],
    ['https:\\\\host\\x', () => `https:\\\\localhost:${foreign.port}\\download\\1`],
    ['//host/x', () => `//localhost:${foreign.port}/download/1`],
    ['/\\host/x', () => `/\\localhost:${foreign.port}/download/1`],
    ['https:///host/x', () => `https:///localhost:${foreign.port}/download/1`],
  ])('%s', async (shape, location) => {
    redirectMe(location());
    const result = await whoami();
    if (shape === 'the same server under another name') {
      // Graph itself, reached under a name that is not GRAPH_BASE_URL's: no token, so Graph refuses.
      expect(errorCode(result)).toBe('unauthorized');
      expect(stack.graph.requests[1]).toMatchObject({ path: '/v1.0/me', authorization: undefined, status: 401 });
    } else {
      expect(result.isError).toBeFalsy();
      expect(foreign.requests).toEqual([{ method: 'GET', path: '/download/1', authorization: undefined }]);
    }
  });

  it('never puts the token back when the other host sends the call back to Graph', async () => {
    const previous = foreign.answer;
    foreign.answer = (_request, response) => { response.writeHead(302, { location: `${stack.graph.url}/v1.0/me` }).end(); };
    try {
      redirectMe(`${foreign.url}/bounce`);
      expect(errorCode(await whoami())).toBe('unauthorized');
      expect(foreign.requests).toHaveLength(1);
      expect(stack.graph.requests.at(-1)).toMatchObject({ path: '/v1.0/me', authorization: undefined, status: 401 });
    } finally {
      foreign.answer = previous;
    }
  });
});

describe('Graph redirects that are refused', () => {
  it.each([
    ['http://host/x', () => `${plain.url}/x`],
    ['http:/host/x', () => `http:/localhost:${plain.port}/x`],
    ['http:host/x', () => `http:localhost:${plain.port}/x`],
    ['http to Graph\'s own host', () => `http://localhost:${graphPort()}/v1.0/me`],
    ['another scheme', () => 'file:///etc/passwd'],
    ['malformed', () => 'https://[::1'],
    ['an empty host', () => 'https://'],
    ['user info in the URL', () => `https://user:secret@localhost:${foreign.port}/x`],
  ])('%s: redirect_refused, and nothing reaches the target', async (_shape, location) => {
    redirectMe(location());
    expect(errorCode(await whoami())).toBe('redirect_refused');
    expect(plain.requests).toEqual([]);
    expect(foreign.requests).toEqual([]);
    expect(meRequests()).toHaveLength(1);
  });

  it('stops a redirect loop after a bounded number of hops', async () => {
    redirectMe((url) => url.href, 1000);
    expect(errorCode(await whoami())).toBe('redirect_refused');
    expect(meRequests()).toHaveLength(MAX_REDIRECTS + 1);
  });

  it('refuses a redirect without a Location as a broken answer', async () => {
    stack.graph.hostile.push({ ...redirectWithoutLocation(), path: /^\/me$/, times: 1 });
    expect(errorCode(await whoami())).toBe('upstream_invalid');
  });

  it('never follows a redirected write: its body goes nowhere Graph did not receive it', async () => {
    stack.graph.hostile.push({ ...redirectReply(`${foreign.url}/drafts`, 307), path: /^\/me\/messages$/, times: 1 });
    const result = await callTool(adele, 'create_draft', { to: ['alex@contoso.example'], subject: 'Redirected', body: 'Secret plans' });
    expect(errorCode(result)).toBe('redirect_refused');
    expect(foreign.requests).toEqual([]);
  });
});
