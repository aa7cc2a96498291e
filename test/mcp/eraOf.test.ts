// The era a body is served in is the one the SDK's own classification gives, including where it is not asked.
import fc from 'fast-check';
import { isLegacyRequest } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { eraOf } from '../../shared/mcp/eraOf.js';

const CLAIM = 'io.modelcontextprotocol/protocolVersion';
const request = (headers: Record<string, string>) => new Request('http://localhost/mcp', { method: 'POST', headers: { 'content-type': 'application/json', ...headers } });

const json = fc.jsonValue({ maxDepth: 2 });
const meta = fc.oneof(
  fc.constant(undefined),
  json,
  fc.record({ [CLAIM]: fc.oneof(fc.constant('2026-07-28'), fc.constant('2025-11-25'), json) }, { requiredKeys: [CLAIM] }),
  fc.record({ [CLAIM]: fc.constant('2026-07-28'), 'io.modelcontextprotocol/clientCapabilities': fc.oneof(fc.constant({}), json) }),
);
const method = fc.oneof(fc.constantFrom('tools/list', 'tools/call', 'initialize', 'server/discover', 'notifications/initialized', 'ping'), json);
const params = fc.oneof(fc.constant(undefined), json, meta.map((value) => ({ name: 'whoami', _meta: value })));
const body = fc.oneof(
  // Shaped like requests, most of them claiming a revision: where the shortcut is taken or narrowly not.
  fc.record({
    jsonrpc: fc.constant('2.0'),
    id: fc.oneof(fc.integer(), fc.string()),
    method,
    params: meta.map((value) => ({ name: 'whoami', protocolVersion: '2025-11-25', _meta: value })),
    result: json,
    error: json,
  }, { requiredKeys: ['jsonrpc', 'id', 'method', 'params'] }),
  fc.record({ jsonrpc: fc.oneof(fc.constant('2.0'), json), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null)), method, params, result: json, error: json }, { requiredKeys: [] }),
  json,
);
const headers = fc.record({
  'mcp-protocol-version': fc.constantFrom('2026-07-28', '2025-11-25', '2025-06-18', 'nonsense'),
  'mcp-method': fc.constantFrom('tools/list', 'tools/call', 'initialize'),
}, { requiredKeys: [] });

describe('eraOf', () => {
  it('agrees with isLegacyRequest on any body and headers', async () => {
    await fc.assert(fc.asyncProperty(body, headers, async (message, sent) => {
      const expected = await isLegacyRequest(request(sent), message) ? 'legacy' : 'modern';
      expect(await eraOf(request(sent), message)).toBe(expected);
    }), { numRuns: 2000 });
  });

  it('a claim on initialize, a response or a notification is left to the SDK, which may call it legacy', async () => {
    const claim = { _meta: { [CLAIM]: 'not a version' } };
    expect(await eraOf(request({}), { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', ...claim } })).toBe('legacy');
    expect(await eraOf(request({}), { jsonrpc: '2.0', id: 1, result: {}, method: 'tools/list', params: claim })).toBe(await isLegacyRequest(request({}), { jsonrpc: '2.0', id: 1, result: {}, method: 'tools/list', params: claim }) ? 'legacy' : 'modern');
  });
});
