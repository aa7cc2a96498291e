// search over a real MCP client and HTTP: every area at once, each read with its own tool's scope, opened by the tool each hit names, paged, isolated per user.
import type { McpClient } from '../support/mcpClient.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { search } from '../../shared/tools/search/search.js';
import { rawReply } from '../../sandbox/graph/hostileGraph.js';
import type { RecordedGraphRequest } from '../../sandbox/graph/localGraph.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { useConnectedStack } from '../support/connectedStack.js';
import { callToolMessage, postMcp } from '../support/rawMcp.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { callTool, connectAs, errorCode, expectListed, READ_ONLY, structured } from '../support/toolCalls.js';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
let megan: McpClient;
useConnectedStack((connected) => ({ stack, adele, alex, megan } = connected));
afterEach(() => {
  stack.graph.faults.length = 0;
  stack.graph.hostile.length = 0;
  stack.idp.oboFailures.clear();
});

/** A word only Adele's data holds, once in each area. */
const WORD = 'quokka';
beforeAll(() => {
  const data = stack.graph.dataOf(ADELE);
  const message = data.messages[0]!;
  message.subject = `${message.subject ?? ''} ${WORD}`;
  const event = data.events[0]!;
  event.subject = `${event.subject ?? ''} ${WORD}`;
  const chatMessage = data.chats.find((chat) => chat.chatType === 'group')!.messages.find((entry) => entry.body?.content?.includes('crew note 1:') === true)!;
  chatMessage.body = { contentType: 'text', content: `crew note about the ${WORD} enclosure` };
  const file = data.driveItems.find((item) => item.name === 'Notes.txt')!;
  file.name = `Notes ${WORD}.txt`;
});

const searchRequests = (since: number): RecordedGraphRequest[] => stack.graph.requests.slice(since).filter((request) => request.path === '/v1.0/search/query');
const entityTypeOf = (request: RecordedGraphRequest): string => ((request.body as { requests: { entityTypes: string[] }[] }).requests[0]?.entityTypes ?? []).join(',');

describe('tools/list', () => {
  it('lists search as read-only, with a short description and a small entry', async () => {
    await expectListed(adele, { search: READ_ONLY }, 2_600);
  });
});

describe('search', () => {
  it('finds the word in every area, alternating areas by rank, each hit opened by the tool it names', async () => {
    const result = structured(search, await callTool(adele, 'search', { query: WORD }));
    expect(result.areas).toEqual([{ area: 'mail', total: 1 }, { area: 'chats', total: 1 }, { area: 'events', total: 1 }, { area: 'files', total: 1 }]);
    expect(result.hits.map((hit) => [hit.area, hit.rank, hit.tool])).toEqual([
      ['mail', 1, 'get_message'], ['chats', 1, 'list_chat_messages'], ['events', 1, 'get_event'], ['files', 1, 'read_file'],
    ]);
    expect(result.nextCursor).toBeUndefined();
    for (const hit of result.hits) {
      // Microsoft Search's <c0> highlight and <ddd/> cut marks never reach the client.
      expect(hit.summary ?? '', hit.area).not.toMatch(/<\/?c0>|<ddd\/>/);
      const opened = await callTool(adele, hit.tool, hit.arguments);
      expect(opened.isError, `${hit.tool} ${JSON.stringify(opened)}`).toBeFalsy();
      // A chat opens at its newest messages; the hit's own summary holds the match.
      if (hit.area === 'chats') expect(hit.summary).toContain(WORD);
      else expect(JSON.stringify(opened.structuredContent), hit.area).toContain(WORD);
    }
  });

  it('searches each area in a request of its own, with a token holding that area\'s one scope', async () => {
    // A fresh client: MSAL answers a repeated (assertion, scopes) pair from its cache.
    const client = await connectAs(stack, ADELE);
    const before = stack.graph.requests.length;
    const obo = stack.idp.oboRequests.length;
    expect((await callTool(client, 'search', { query: WORD })).isError).toBeFalsy();
    await client.close();
    const scopesByType = Object.fromEntries(searchRequests(before).map((request) => [entityTypeOf(request), request.scopes]));
    expect(scopesByType).toEqual({ message: ['Mail.Read'], chatMessage: ['Chat.Read'], event: ['Calendars.Read'], driveItem: ['Files.Read.All'] });
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes.join(' ')).sort()).toEqual(['Calendars.Read', 'Chat.Read', 'Files.Read.All', 'Mail.Read']);
  });

  it('searches only the areas asked for', async () => {
    const before = stack.graph.requests.length;
    const result = structured(search, await callTool(adele, 'search', { query: WORD, areas: ['files', 'mail'] }));
    expect(result.hits.map((hit) => hit.area)).toEqual(['mail', 'files']);
    expect(searchRequests(before).map(entityTypeOf).sort()).toEqual(['driveItem', 'message']);
  });

  it.each([[ALEX], [MEGAN]] as [SampleUser][])('finds none of Adele\'s hits for %o', async (user) => {
    const client = user === ALEX ? alex : megan;
    const result = structured(search, await callTool(client, 'search', { query: WORD }));
    expect(result.hits).toEqual([]);
    expect(result.areas.every((area) => area.skipped === undefined)).toBe(true);
  });

  it('pages each area on its own: the cursor continues only the areas with more, with no duplicates', async () => {
    const query = 'crew note';
    const first = structured(search, await callTool(adele, 'search', { query, size: 5, areas: ['chats', 'events'] }));
    expect(first.hits.map((hit) => hit.area)).toEqual(['chats', 'chats', 'chats', 'chats', 'chats']);
    expect(first.nextCursor).toBeDefined();
    const before = stack.graph.requests.length;
    const second = structured(search, await callTool(adele, 'search', { query, size: 5, cursor: first.nextCursor }));
    expect(searchRequests(before).map(entityTypeOf)).toEqual(['chatMessage']);
    expect(second.hits.map((hit) => hit.rank)).toEqual([6, 7, 8, 9, 10]);
    expect((searchRequests(before)[0]?.body as { requests: { from: number }[] }).requests[0]?.from).toBe(5);
  });

  it.each([
    ['another query', async (cursor: string) => ({ query: 'something else', cursor })],
    ['another tool', async () => ({ query: WORD, cursor: Buffer.from(JSON.stringify({ t: 'search_files', u: `${stack.graph.url}/v1.0/search/query?from=5&q=${WORD}` })).toString('base64url') })],
    ['an unknown area', async () => ({ query: WORD, cursor: Buffer.from(JSON.stringify({ t: 'search', u: `${stack.graph.url}/v1.0/search/query?q=${WORD}&people=5` })).toString('base64url') })],
    ['an offset past any index', async () => ({ query: WORD, cursor: Buffer.from(JSON.stringify({ t: 'search', u: `${stack.graph.url}/v1.0/search/query?q=${WORD}&mail=1e9` })).toString('base64url') })],
  ])('refuses a cursor of %s', async (_label, args) => {
    const first = structured(search, await callTool(adele, 'search', { query: 'crew note', size: 1, areas: ['chats'] }));
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'search', await args(first.nextCursor ?? '')))).toBe('cursor_invalid');
    expect(searchRequests(before)).toEqual([]);
  });

  it.each([['\u0000hidden'], ['line\nbreak'], [' '], ['x'.repeat(501)]])('refuses the query %j before any Graph call', async (query) => {
    const before = stack.graph.requests.length;
    expect(errorCode(await callTool(adele, 'search', { query }))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(before);
  });

  it('answers with the areas that worked when one fails, and names the failure', async () => {
    stack.graph.faults.push({ status: 503, times: 1, path: /^\/search\/query$/ });
    const result = structured(search, await callTool(adele, 'search', { query: WORD }));
    expect(result.areas.filter((area) => area.skipped !== undefined).map((area) => area.skipped)).toEqual(['unavailable']);
    expect(result.hits).toHaveLength(3);
  });

  it('fails as a whole with the sign-in challenge when one area\'s exchange needs MFA, however the others went', async () => {
    // Only the first of the four exchanges is refused.
    stack.idp.oboFailures.set(ADELE.oid, { failure: 'mfa_required', times: 1 });
    const obo = stack.idp.oboRequests.length;
    const answer = await postMcp(stack.mcpUrl, await stack.idp.accessToken(ADELE, { jti: 'search-mfa' }), callToolMessage('search', { query: WORD }));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toContain('error="insufficient_claims"');
    expect(stack.idp.oboRequests.length - obo).toBe(4);
  });

  it('fails with the Graph error when every area fails', async () => {
    stack.graph.faults.push({ status: 503, times: 4, path: /^\/search\/query$/ });
    expect(errorCode(await callTool(adele, 'search', { query: WORD }))).toBe('unavailable');
  });

  it('keeps to the page size, drops what does not parse, and strips markup, whatever Graph answers', async () => {
    const hits = [
      { summary: '<c0>quokka</c0> <script>alert(1)</script><ddd/>', resource: { id: 'm-1', subject: 'kept', from: { emailAddress: { name: 'Eve' } } } },
      { summary: 'no id', resource: { subject: 'dropped' } },
      { summary: 'wrong type', resource: { id: 42 } },
      ...Array.from({ length: 500 }, (_, index) => ({ resource: { id: `m-${index + 2}`, subject: 'x'.repeat(10_000) } })),
    ];
    stack.graph.hostile.push({ ...rawReply(200, JSON.stringify({ value: [{ hitsContainers: [{ hits, total: 503, moreResultsAvailable: true }] }] })), path: /^\/search\/query$/, times: 1 });
    const result = structured(search, await callTool(adele, 'search', { query: WORD, areas: ['mail'], size: 5 }));
    expect(result.hits.map((hit) => hit.arguments.id)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(result.hits[0]?.summary).toBe('quokka alert(1)…');
    expect(result.hits[1]?.title?.length).toBe(200);
    expect(result.areas).toEqual([{ area: 'mail', total: 503 }]);
    expect(result.nextCursor).toBeDefined();
  });

  it('fails the area, not the search, when Graph answers something that is no search response', async () => {
    stack.graph.hostile.push({ ...rawReply(200, '{"value":"nope"}'), path: /^\/search\/query$/, times: 1 });
    const result = structured(search, await callTool(adele, 'search', { query: WORD }));
    expect(result.areas.filter((area) => area.skipped !== undefined).map((area) => area.skipped)).toEqual(['upstream_invalid']);
  });
});

describe('an area the caller may not open', () => {
  let limited: TestStack;
  let client: McpClient;
  beforeAll(async () => {
    // Everyone may search, and open mail; list_events is granted but not get_event, which opens event hits.
    limited = await startTestStack({ env: { MCP_TOOL_POLICY: JSON.stringify({ everyone: { tools: ['search', 'get_message', 'list_events'] } }) } });
    client = await connectAs(limited, ADELE);
  });
  afterAll(async () => {
    await client.close();
    await limited.close();
  });

  it('is skipped, named in the answer, and never asked of Graph', async () => {
    const before = limited.graph.requests.length;
    const result = structured(search, await callTool(client, 'search', { query: 'Contoso' }));
    expect(result.areas).toEqual([
      { area: 'mail', total: expect.any(Number) as number },
      { area: 'chats', skipped: 'no_access' }, { area: 'events', skipped: 'no_access' }, { area: 'files', skipped: 'no_access' },
    ]);
    expect(result.hits.every((hit) => hit.area === 'mail')).toBe(true);
    const requests = limited.graph.requests.slice(before).filter((request) => request.path === '/v1.0/search/query');
    expect(requests.map((request) => request.scopes)).toEqual([['Mail.Read']]);
  });
});

describe('a deployment without the areas', () => {
  let narrow: TestStack;
  beforeAll(async () => {
    narrow = await startTestStack({ env: { MCP_TOOLSETS: 'search,files,notes' } });
  });
  afterAll(async () => {
    await narrow.close();
  });

  it('searches only the areas it offers', async () => {
    const client = await connectAs(narrow, ADELE);
    const result = structured(search, await callTool(client, 'search', { query: 'Notes' }));
    await client.close();
    expect(result.areas.map((area) => [area.area, area.skipped])).toEqual([['mail', 'no_access'], ['chats', 'no_access'], ['events', 'no_access'], ['files', undefined]]);
  });

  it('does not offer search when it offers none of the tools that open its areas', async () => {
    // Files.Read.All is granted, but the files area is not chosen; of mail, only send_mail is offered.
    const none = await startTestStack({ env: { MCP_TOOLSETS: 'search,mail', GRAPH_SCOPES_GRANTED: 'Files.Read.All,Mail.Send' } });
    const client = await connectAs(none, ADELE);
    const { tools } = await client.listTools();
    expect(errorCode(await callTool(client, 'search', { query: 'x' }))).toBe('tool_unknown');
    await client.close();
    await none.close();
    expect(tools.map((tool) => tool.name)).toEqual(['send_mail']);
  });
});
