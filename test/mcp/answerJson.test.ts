// A 2025-era answer's JSON: tools/list answers spliced from the catalog's text of them, byte for byte what JSON.stringify writes.
import { describe, expect, it } from 'vitest';
import { answerJson } from '../../shared/mcp/answerJson.js';
import { createToolCatalog } from '../../shared/tools/catalog.js';

const allowed = (...names: string[]) => ({ names: new Set(names), key: names.join(',') });

describe('answerJson', () => {
  it('writes a tools/list answer as JSON.stringify does, for each caller\'s own list', () => {
    const catalog = createToolCatalog(undefined);
    const everything = { jsonrpc: '2.0', id: 1, result: { tools: catalog.listedFor(undefined) } };
    const reader = { jsonrpc: '2.0', id: 'r', result: { tools: catalog.listedFor(allowed('whoami')) } };
    // Each answer twice, in turn: the second time from kept text, which must still be that caller's.
    for (let round = 0; round < 2; round++) {
      expect(answerJson(everything, catalog)).toBe(JSON.stringify(everything));
      expect(answerJson(reader, catalog)).toBe(JSON.stringify(reader));
    }
    const parsed = JSON.parse(answerJson(reader, catalog)) as { result: { tools: { name: string }[] } };
    expect(parsed.result.tools.map((tool) => tool.name)).toEqual(['whoami']);
  });

  it('splices each list of a batch into its own answer, and leaves every other value as it is', () => {
    const catalog = createToolCatalog(undefined);
    const batch = [
      { jsonrpc: '2.0', id: 1, result: { tools: catalog.listedFor(allowed('find_people')) } },
      { jsonrpc: '2.0', id: 2, result: { content: [], structuredContent: { tools: ['whoami'], text: '\u0000tools' } } },
      { jsonrpc: '2.0', id: 3, result: { tools: catalog.listedFor(allowed('whoami', 'send_mail')), nextCursor: 'x' } },
    ];
    expect(answerJson(batch, catalog)).toBe(JSON.stringify(batch));
  });

  it('serialises a copy of a list, or another catalog\'s, afresh', () => {
    const catalog = createToolCatalog(undefined);
    const other = createToolCatalog(undefined, ['profile']);
    const copied = { jsonrpc: '2.0', id: 1, result: { tools: [...catalog.listed] } };
    const foreign = { jsonrpc: '2.0', id: 2, result: { tools: other.listed } };
    expect(catalog.listedJson(copied.result.tools)).toBeUndefined();
    expect(catalog.listedJson(other.listed)).toBeUndefined();
    expect(answerJson(copied, catalog)).toBe(JSON.stringify(copied));
    expect(answerJson(foreign, catalog)).toBe(JSON.stringify(foreign));
  });

  it('hands out lists that cannot change under their text', () => {
    const catalog = createToolCatalog(undefined);
    const list = catalog.listedFor(allowed('whoami'));
    expect(Object.isFrozen(list)).toBe(true);
    expect(Object.isFrozen(list[0]?.inputSchema)).toBe(true);
    expect(Object.isFrozen(catalog.listed)).toBe(true);
  });
});
