// Search terms reach Graph exactly as typed: `&`, `#`, `+`, `%`, quotes and the rest, with no parameter injected.
import type { McpClient } from '../support/mcpClient.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RecordedGraphRequest } from '../../sandbox/graph/localGraph.js';
import { callTool } from '../support/toolCalls.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';

let stack: TestStack;
let adele: McpClient;
useConnectedStack((connected) => ({ stack, adele } = connected));
beforeEach(() => {
  stack.graph.requests.length = 0;
});

/** Characters a URL gives meaning to, and a few more. */
const TERMS = ['C++ 100%', 'R&D #1', 'a+b=c & d?e/f', '50% off; 100%25 sure', 'naïve café ✓ 😀'];

/** The one request the local Graph saw for `path`. */
function requestTo(path: string): RecordedGraphRequest {
  const matching = stack.graph.requests.filter((request) => request.path === path);
  expect(matching, JSON.stringify(stack.graph.requests.map((request) => request.url))).toHaveLength(1);
  return matching[0]!;
}

const paramsOf = (request: RecordedGraphRequest) => new URL(request.url, stack.graph.url).searchParams;

describe.each(TERMS)('the term %j', (term) => {
  it('list_sites sends it whole as search=', async () => {
    expect((await callTool(adele, 'list_sites', { query: term })).isError).toBeFalsy();
    const params = paramsOf(requestTo('/v1.0/sites'));
    expect(params.get('search')).toBe(term);
    expect([...params.keys()].sort()).toEqual(['$select', '$top', 'search']);
  });

  it('search_messages sends it whole inside one quoted $search phrase', async () => {
    expect((await callTool(adele, 'search_messages', { query: term })).isError).toBeFalsy();
    const params = paramsOf(requestTo('/v1.0/me/messages'));
    expect(params.get('$search')).toBe(`"${term}"`);
    expect([...params.keys()].sort()).toEqual(['$search', '$select', '$top']);
  });

  it('find_people sends it whole as its $search phrase', async () => {
    expect((await callTool(adele, 'find_people', { query: term })).isError).toBeFalsy();
    const params = paramsOf(requestTo('/v1.0/me/people'));
    expect(params.get('$search')).toBe(`"${term}"`);
    expect([...params.keys()].sort()).toEqual(['$search', '$select', '$top']);
  });

  it('search_files sends it whole as the queryString', async () => {
    expect((await callTool(adele, 'search_files', { query: term })).isError).toBeFalsy();
    const body = requestTo('/v1.0/search/query').body as { requests: { query: { queryString: string } }[] };
    expect(body.requests[0]?.query.queryString).toBe(term);
  });
});

describe('quotes and backslashes in a mail search', () => {
  it('are escaped inside the phrase, not dropped', async () => {
    const term = 'subject:"Q3 plan" C:\\temp';
    expect((await callTool(adele, 'search_messages', { query: term })).isError).toBeFalsy();
    expect(paramsOf(requestTo('/v1.0/me/messages')).get('$search')).toBe('"subject:\\"Q3 plan\\" C:\\\\temp"');
  });
});
