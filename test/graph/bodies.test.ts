// Every Graph answer is read under a byte cap while it streams, under a deadline, and its error text is cut: a hostile Graph's bodies.
import type { McpClient } from '../support/mcpClient.js';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { beforeEach, describe, expect, it } from 'vitest';
import type { VerifiedCaller } from '../../shared/auth/identity.js';
import { createGraphFactory } from '../../shared/graph/createGraph.js';
import { GraphError, MAX_GRAPH_MESSAGE_CHARS } from '../../shared/graph/graphError.js';
import { MAX_ERROR_BYTES, MAX_JSON_BYTES } from '../../shared/graph/readResponse.js';
import { hugeErrorReply, rawReply, streamReply, type HostileReply } from '../../sandbox/graph/hostileGraph.js';
import { GRAPH_AUDIENCE } from '../../sandbox/identityProvider.js';
import { ADELE } from '../../sandbox/sampleUsers.js';
import { callTool, errorCode } from '../support/toolCalls.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';

let stack: TestStack;
let adele: McpClient;
useConnectedStack((connected) => ({ stack, adele } = connected));
beforeEach(() => {
  stack.graph.hostile.length = 0;
  stack.graph.requests.length = 0;
});

/** `reply` for the next request to /me, then whoami with its profile. */
async function whoamiAgainst(reply: HostileReply): Promise<CallToolResult> {
  stack.graph.hostile.push({ ...reply, path: /^\/me$/, times: 1 });
  return callTool(adele, 'whoami', { profile: true });
}

const resultText = (result: CallToolResult) => JSON.stringify(result);

describe('Graph JSON answers', () => {
  it('refuses an endless answer at the cap while it streams', async () => {
    const endless = streamReply({ prefix: '{"displayName":"' });
    expect(errorCode(await whoamiAgainst(endless))).toBe('too_large');
    // The reader gave up near the cap; what the sender managed beyond it sat in socket buffers.
    expect(endless.written?.()).toBeLessThan(4 * MAX_JSON_BYTES);
  });

  it('refuses an answer whose Content-Length is over the cap without reading it', async () => {
    const declared = streamReply({ prefix: '{"displayName":"', headers: { 'content-length': String(1024 ** 4) } });
    expect(errorCode(await whoamiAgainst(declared))).toBe('too_large');
    expect(declared.written?.()).toBeLessThan(MAX_JSON_BYTES);
  });

  it('counts the bytes that arrive, not the Content-Length that says fewer', async () => {
    // Declares 100 bytes and sends 32 MiB: only what the length allows is read, the rest never reaches memory.
    const lying = streamReply({ prefix: '{"displayName":"', bytes: 32 * 1024 * 1024, headers: { 'content-length': '100', connection: 'close' } });
    expect(errorCode(await whoamiAgainst(lying))).toBe('upstream_invalid');
  });

  it.each([
    ['malformed JSON', '{"displayName": "Adele", '],
    ['JSON that is not an object', 'null'],
    ['not JSON at all', '<html>gateway</html>'],
    ['fields of types Graph does not document', '{"id":{"x":1},"displayName":[]}'],
    ['an empty body', ''],
  ])('answers upstream_invalid for %s, never internal_error', async (_what, body) => {
    expect(errorCode(await whoamiAgainst(rawReply(200, body)))).toBe('upstream_invalid');
  });

  it.each([
    ['an object with no value', '{"displayName":"another host"}'],
    ['a value that is no array', '{"value":5}'],
    ['items that are no objects', '{"value":[null,1,"x"]}'],
    ['a nextLink that is no string', '{"value":[],"@odata.nextLink":{"href":"x"}}'],
    ['an empty body', ''],
  ])('answers a list tool upstream_invalid for a page with %s', async (_what, body) => {
    stack.graph.hostile.push({ ...rawReply(200, body), path: /^\/me\/joinedTeams$/, times: 1 });
    expect(errorCode(await callTool(adele, 'list_teams'))).toBe('upstream_invalid');
    stack.graph.hostile.push({ ...rawReply(200, body), path: /\/chats\/[^/]+\/messages$/, times: 1 });
    expect(errorCode(await callTool(adele, 'list_chat_messages', { chatId: '19:chat@thread.v2' }))).toBe('upstream_invalid');
  });

  it('answers a write tool upstream_invalid when Graph says 200 or 201 with no body', async () => {
    for (const status of [200, 201]) {
      stack.graph.hostile.push({ ...rawReply(status, ''), path: /\/chats\/[^/]+\/messages$/, times: 1 });
      expect(errorCode(await callTool(adele, 'send_chat_message', { chatId: '19:chat@thread.v2', text: 'hello' }))).toBe('upstream_invalid');
    }
  });

  it('reads an ordinary answer as before', async () => {
    const result = await callTool(adele, 'whoami', { profile: true });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ profile: { displayName: ADELE.name } });
  });
});

describe('Graph error answers', () => {
  it('cuts a 2 MB error message to a short one', async () => {
    const result = await whoamiAgainst(hugeErrorReply(400, 2_000_000));
    expect(errorCode(result)).toBe('bad_request');
    expect(resultText(result).length).toBeLessThan(MAX_GRAPH_MESSAGE_CHARS + 1000);
  });

  it('reads no more than its cap of an endless error body, and still gives the status\'s code', async () => {
    const endless = streamReply({ status: 403, prefix: '{"error":{"message":"' });
    const result = await whoamiAgainst(endless);
    expect(errorCode(result)).toBe('forbidden');
    expect(resultText(result).length).toBeLessThan(MAX_GRAPH_MESSAGE_CHARS + 1000);
    expect(endless.written?.()).toBeLessThan(MAX_JSON_BYTES);
    expect(MAX_ERROR_BYTES).toBeLessThan(MAX_JSON_BYTES);
  });

  it('cuts Graph\'s error code and request id too', async () => {
    const body = JSON.stringify({ error: { code: 'C'.repeat(100_000), message: 'no', innerError: { 'request-id': 'r'.repeat(100_000) } } });
    const result = await whoamiAgainst(rawReply(404, body));
    expect(errorCode(result)).toBe('not_found');
    expect(resultText(result).length).toBeLessThan(2000);
  });
});

describe('Graph answers that trickle', () => {
  const caller: VerifiedCaller = {
    identity: { tid: ADELE.tid, oid: ADELE.oid, upn: ADELE.upn, name: ADELE.name, scopes: ['access_as_user'], appId: undefined, roles: [] },
    assertion: 'unused',
    expiresAt: Math.floor(Date.now() / 1000) + 3600,
    tokenHash: 'unused',
  };
  const graphWithDeadline = (attemptTimeoutMs: number) => createGraphFactory({
    baseUrl: stack.graph.url,
    acquireToken: () => stack.idp.accessToken(ADELE, { aud: GRAPH_AUDIENCE, scp: 'User.Read' }),
    attemptTimeoutMs,
  })(caller, ['User.Read'], new AbortController().signal);

  it('ends an answer that never finishes at the attempt\'s deadline', async () => {
    stack.graph.hostile.push({ ...streamReply({ prefix: '{"displayName":"', intervalMs: 50, chunkBytes: 16 }), path: /^\/me$/, times: 1 });
    const failure = await graphWithDeadline(500).get('/me').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphError);
    expect((failure as GraphError).code).toBe('unavailable');
  });

  it('ends an answer whose headers never come at the attempt\'s deadline', async () => {
    stack.graph.hostile.push({ status: 200, path: /^\/me$/, times: 1, send: () => undefined });
    const failure = await graphWithDeadline(500).get('/me').catch((error: unknown) => error);
    expect((failure as GraphError).code).toBe('unavailable');
  });

  it('ends a call when the MCP request is cancelled', async () => {
    stack.graph.hostile.push({ ...streamReply({ prefix: '{"displayName":"', intervalMs: 50, chunkBytes: 16 }), path: /^\/me$/, times: 1 });
    const cancel = new AbortController();
    const graph = createGraphFactory({
      baseUrl: stack.graph.url,
      acquireToken: () => stack.idp.accessToken(ADELE, { aud: GRAPH_AUDIENCE, scp: 'User.Read' }),
    })(caller, ['User.Read'], cancel.signal);
    const pending = graph.get('/me').catch((error: unknown) => error);
    setTimeout(() => cancel.abort(), 200);
    expect((await pending as GraphError).code).toBe('unavailable');
  });
});
