// The local host's request line: origin-form targets only, a Host that is a host name, and methods fetch can carry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INITIALIZE, mcpHeaders } from '../support/mcpClient.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { rawRequest, type RawResponse, type RpcErrorBody } from './rawRequest.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

function codeOf(answer: RawResponse): string | undefined {
  return (JSON.parse(answer.text) as RpcErrorBody).error.data?.code;
}

describe('absolute-form and other non-path targets', () => {
  it.each(['http://evil.example/mcp', 'http://localhost/mcp', 'https://evil.example/.well-known/oauth-protected-resource/mcp', '*'])(
    'POST/GET %s: 400 request_target_invalid, never a challenge or metadata naming its authority', async (path) => {
      const post = await rawRequest(stack.host.port, { method: 'POST', path, headers: mcpHeaders(undefined), body: JSON.stringify(INITIALIZE) });
      expect(post.status).toBe(400);
      expect(codeOf(post)).toBe('request_target_invalid');
      expect(post.headers['www-authenticate']).toBeUndefined();
      const get = await rawRequest(stack.host.port, { method: 'GET', path });
      expect(get.status).toBe(400);
      expect(get.text).not.toContain('evil.example');
    },
  );

  it('a path starting with // is a path on this host, not another authority', async () => {
    const answer = await rawRequest(stack.host.port, { method: 'GET', path: '//evil.example/.well-known/oauth-protected-resource/mcp' });
    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain('evil.example');
  });

  it('the challenge and the metadata name the Host the guard admitted', async () => {
    const host = `localhost:${stack.host.port}`;
    const refused = await rawRequest(stack.host.port, { method: 'POST', headers: mcpHeaders(undefined, { host }), body: JSON.stringify(INITIALIZE) });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain(`resource_metadata="http://${host}/.well-known/oauth-protected-resource/mcp"`);
    const metadata = await rawRequest(stack.host.port, { path: '/.well-known/oauth-protected-resource/mcp', headers: { host } });
    expect((JSON.parse(metadata.text) as { resource: string }).resource).toBe(`http://${host}/mcp`);
  });
});

describe('Host values that are not a host name', () => {
  it.each(['local host', 'evil.example@localhost', 'localhost@evil.example', 'localhost/x', 'localhost:99999', '[', 'localhost:7071:7071'])(
    'Host %j: 400 host_invalid, never an empty 500', async (host) => {
      for (const path of ['/mcp', '/.well-known/oauth-protected-resource/mcp', '/healthz']) {
        const answer = await rawRequest(stack.host.port, { method: path === '/mcp' ? 'POST' : 'GET', path, headers: { ...mcpHeaders(undefined), host }, body: '{}' });
        expect(answer.status).toBe(400);
        expect(codeOf(answer)).toBe('host_invalid');
      }
    },
  );
});

describe('answers', () => {
  it('carry the length of their body, not chunks', async () => {
    for (const [method, path] of [['POST', '/mcp'], ['GET', '/.well-known/oauth-protected-resource/mcp'], ['GET', '/healthz'], ['GET', '/nothing']] as const) {
      const answer = await rawRequest(stack.host.port, { method, path, headers: mcpHeaders(undefined), ...(method === 'POST' && { body: JSON.stringify(INITIALIZE) }) });
      expect(answer.headers['transfer-encoding']).toBeUndefined();
      expect(answer.headers['content-length']).toBe(String(Buffer.byteLength(answer.text)));
    }
  });
});

describe('methods a fetch Request cannot carry', () => {
  it('TRACE /mcp: 405 with the route\'s Allow, never an empty 500', async () => {
    const answer = await rawRequest(stack.host.port, { method: 'TRACE', path: '/mcp' });
    expect(answer.status).toBe(405);
    expect(codeOf(answer)).toBe('method_not_allowed');
    expect(answer.headers['allow']).toBe('POST, GET, DELETE, OPTIONS');
  });

  it('TRACE on the metadata: 405 Allow: GET, OPTIONS; on an unknown path: 404', async () => {
    const metadata = await rawRequest(stack.host.port, { method: 'TRACE', path: '/.well-known/oauth-protected-resource' });
    expect(metadata.status).toBe(405);
    expect(metadata.headers['allow']).toBe('GET, OPTIONS');
    expect((await rawRequest(stack.host.port, { method: 'TRACE', path: '/nothing' })).status).toBe(404);
  });
});
