// A tools/list answer serialised around the stand-in, then spliced: character for character what JSON.stringify writes of the
// answer with the caller's own list, in either era's envelope and in a 2025 batch.
import { describe, expect, it } from 'vitest';
import { spliceListedTools, spliceTools, TOOLS_STAND_IN } from '../../shared/mcp/listedTools.js';
import { createToolCatalog } from '../../shared/tools/catalog.js';

const allowed = (...names: string[]) => ({ names: new Set(names), key: names.join(',') });

describe('spliceTools', () => {
  it('writes a tools/list answer as JSON.stringify does, for each caller\'s own list', () => {
    const catalog = createToolCatalog(undefined);
    for (const list of [catalog.listedFor(undefined), catalog.listedFor(allowed('whoami'))]) {
      // Twice: the second time from the kept text, which must still be this list's.
      for (let round = 0; round < 2; round++) {
        const tools = catalog.listedJson(list);
        expect(tools).toBeDefined();
        const spliced = spliceTools(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: TOOLS_STAND_IN } }), tools!);
        expect(spliced).toBe(JSON.stringify({ jsonrpc: '2.0', id: 1, result: { tools: list } }));
      }
    }
  });

  it('fills every list of a batch, and leaves every other value as it is', () => {
    const catalog = createToolCatalog(undefined);
    const list = catalog.listedFor(allowed('find_people', 'whoami'));
    // Text that looks like the stand-in, as a tool's result or a request id could hold it.
    const lookalike = { content: [], structuredContent: { tools: ['whoami'], text: `\u0000listed tools ${'0'.repeat(36)}`, also: '\u0000tools' } };
    const batch = (tools: unknown) => [
      { jsonrpc: '2.0', id: 1, result: { tools } },
      { jsonrpc: '2.0', id: '\u0000listed tools', result: lookalike },
      { jsonrpc: '2.0', id: 3, result: { tools, nextCursor: 'x' } },
    ];
    const spliced = spliceTools(JSON.stringify(batch(TOOLS_STAND_IN)), catalog.listedJson(list)!);
    expect(spliced).toBe(JSON.stringify(batch(list)));
  });

  it('hands back an answer without a stand-in as it is', () => {
    const answer = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'hello' }] } });
    expect(spliceTools(answer, '[]')).toBe(answer);
  });

  it('splices the SDK\'s answer into a fresh response that keeps its status and drops the stale length', async () => {
    const catalog = createToolCatalog(undefined);
    const list = catalog.listedFor(allowed('whoami'));
    const body = JSON.stringify({ jsonrpc: '2.0', id: 7, result: { tools: TOOLS_STAND_IN, resultType: 'complete' } });
    const answer = new Response(body, { status: 200, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } });
    const spliced = await spliceListedTools(answer, catalog.listedJson(list)!);
    expect(spliced.status).toBe(200);
    expect(spliced.headers.get('content-type')).toBe('application/json');
    expect(spliced.headers.get('content-length')).toBeNull();
    expect(await spliced.text()).toBe(JSON.stringify({ jsonrpc: '2.0', id: 7, result: { tools: list, resultType: 'complete' } }));
  });
});

describe('the catalog\'s text of a list', () => {
  it('is kept only for lists this catalog handed out: a copy, or another catalog\'s list, has none', () => {
    const catalog = createToolCatalog(undefined);
    const other = createToolCatalog(undefined, ['profile']);
    expect(catalog.listedJson([...catalog.listed])).toBeUndefined();
    expect(catalog.listedJson(other.listed)).toBeUndefined();
    expect(catalog.listedJson('whoami')).toBeUndefined();
    expect(catalog.listedJson(catalog.listed)).toBe(JSON.stringify(catalog.listed));
  });

  it('is kept for lists that cannot change under it', () => {
    const catalog = createToolCatalog(undefined);
    const list = catalog.listedFor(allowed('whoami'));
    expect(Object.isFrozen(list)).toBe(true);
    expect(Object.isFrozen(list[0]?.inputSchema)).toBe(true);
    expect(Object.isFrozen(catalog.listed)).toBe(true);
  });
});
