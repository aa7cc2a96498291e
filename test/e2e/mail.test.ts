// The mail read tools over a real MCP client and HTTP: listing, paging, search, reading, isolation and least privilege.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMessage, MAX_BODY_CHARS } from '../../shared/tools/mail/getMessage.js';
import { listMessages } from '../../shared/tools/mail/listMessages.js';
import { searchMessages } from '../../shared/tools/mail/searchMessages.js';
import { mailFolderId, messagesIn } from '../../sandbox/graph/mailRoutes.js';
import { toolErrorCode } from '../support/rawMcp.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../sandbox/sampleUsers.js';
import { expectListed, READ_ONLY } from '../support/toolCalls.js';
import { startTestStack, type TestStack } from '../support/testStack.js';
import { callTool, connectAs, graphRequestsSince, structured, type Clients } from '../tools/mail/mailTestKit.js';

let stack: TestStack;
let users: Clients;
beforeAll(async () => {
  stack = await startTestStack();
  users = { adele: await connectAs(stack, ADELE), alex: await connectAs(stack, ALEX), megan: await connectAs(stack, MEGAN) };
});
afterAll(async () => {
  await Promise.all(Object.values(users).map((client) => client.close()));
  await stack.close();
});

const data = (user: SampleUser) => stack.graph.dataOf(user);
const idOf = (user: SampleUser, slug: string) => `AAMk-${user.key}-${slug}=`;
const newestFirst = (dates: readonly (string | null | undefined)[]) => [...dates].sort((a, b) => Date.parse(b ?? '') - Date.parse(a ?? ''));

describe('tools/list', () => {
  it('lists the five mail tools with truthful annotations and short descriptions', async () => {
    const SENDS = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true };
    await expectListed(users.adele, {
      list_messages: READ_ONLY,
      search_messages: READ_ONLY,
      get_message: READ_ONLY,
      send_mail: SENDS,
      create_draft: SENDS,
    });
  });
});

describe('least privilege', () => {
  it.each([
    ['list_messages', { folder: 'inbox' }, ['Mail.Read']],
    ['search_messages', { query: 'report' }, ['Mail.Read']],
    ['get_message', { id: idOf(ADELE, 'lunch') }, ['Mail.Read']],
    ['create_draft', { subject: 'Scope check', body: 'only a draft' }, ['Mail.ReadWrite']],
    ['send_mail', { to: ['someone@external.example'], subject: 'Scope check', body: 'hi' }, ['Mail.Send']],
  ] as const)('%s asks the OBO exchange for exactly its scopes', async (name, args, scopes) => {
    // A fresh token: MSAL answers repeated (assertion, scopes) pairs from its cache without an exchange.
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const graph = stack.graph.requests.length;
    const result = await callTool(client, name, args);
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.length).toBe(obo + 1);
    expect(stack.idp.oboRequests.at(-1)?.scopes).toEqual(scopes);
    expect(graphRequestsSince(stack, graph).map((request) => request.scopes)).toEqual([scopes]);
  });
});

describe('list_messages', () => {
  it('lists the inbox newest first with summary fields only', async () => {
    const before = stack.graph.requests.length;
    const { messages, nextCursor } = structured(listMessages, await callTool(users.adele, 'list_messages'));
    const inbox = messagesIn(data(ADELE), 'inbox');
    expect(nextCursor).toBeUndefined();
    expect(messages.map((message) => message.id).sort()).toEqual(inbox.map((message) => message.id).sort());
    expect(messages.map((message) => message.receivedDateTime)).toEqual(newestFirst(messages.map((message) => message.receivedDateTime)));
    expect(messages[0]).toMatchObject({
      id: idOf(ADELE, 'report'),
      subject: 'Quarterly report: Contoso Retail Q3',
      from: { name: 'Lee Gu', address: 'LeeG@contoso.example' },
      isRead: false,
      hasAttachments: true,
      importance: 'high',
    });
    expect(messages[0]?.bodyPreview).toContain('Attached is the quarterly report');
    expect(messages[0]?.webLink).toMatch(/^https:\/\//);
    const [request] = graphRequestsSince(stack, before);
    expect(request?.path).toBe(`/v1.0/me/mailFolders/inbox/messages`);
    expect(request?.query.get('$select')).toBe('id,subject,from,receivedDateTime,isRead,hasAttachments,bodyPreview,importance,webLink');
    expect(request?.query.get('$orderby')).toBe('receivedDateTime desc');
    expect(request?.query.has('$filter')).toBe(false);
  });

  it('keeps only unread messages, with a filter Graph accepts next to $orderby', async () => {
    const before = stack.graph.requests.length;
    const { messages } = structured(listMessages, await callTool(users.adele, 'list_messages', { unreadOnly: true }));
    const unread = messagesIn(data(ADELE), 'inbox').filter((message) => message.isRead === false);
    expect(unread.length).toBeGreaterThan(1);
    expect(messages.map((message) => message.id).sort()).toEqual(unread.map((message) => message.id).sort());
    expect(messages.every((message) => message.isRead === false)).toBe(true);
    expect(graphRequestsSince(stack, before).map((request) => request.status)).toEqual([200]);
  });

  it('lists another well-known folder and a folder by id', async () => {
    const sent = structured(listMessages, await callTool(users.adele, 'list_messages', { folder: 'sentitems' }));
    // send_mail keeps a copy in Sent Items, so mail sent by earlier tests is there too.
    expect(sent.messages.map((message) => message.id)).toContain(idOf(ADELE, 'status'));
    expect(sent.messages.map((message) => message.id).sort()).toEqual(messagesIn(data(ADELE), 'sentitems').map((message) => message.id).sort());
    const byId = structured(listMessages, await callTool(users.adele, 'list_messages', { folder: mailFolderId(data(ADELE), 'deleteditems') }));
    expect(byId.messages.map((message) => message.id)).toEqual([idOf(ADELE, 'promo')]);
  });

  it('pages through the 120 archived messages with no duplicates or gaps', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      // Later pages pass only the cursor: it already names its folder.
      const args = cursor === undefined ? { folder: 'archive', top: 50 } : { cursor };
      const page = structured(listMessages, await callTool(users.adele, 'list_messages', args));
      seen.push(...page.messages.map((message) => message.id));
      sizes.push(page.messages.length);
      cursor = page.nextCursor;
    } while (cursor !== undefined && ++pages < 10);
    const archive = messagesIn(data(ADELE), 'archive').map((message) => message.id);
    expect(archive).toHaveLength(120);
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...archive].sort());
  });

  it('shows each user only their own mailbox', async () => {
    const alex = structured(listMessages, await callTool(users.alex, 'list_messages'));
    const megan = structured(listMessages, await callTool(users.megan, 'list_messages'));
    expect(alex.messages.length).toBeGreaterThan(0);
    expect(alex.messages.every((message) => message.id.startsWith('AAMk-alex-'))).toBe(true);
    expect(alex.messages.map((message) => message.subject)).toContain('Quarterly report: Spring Campaign');
    expect(megan.messages.length).toBeGreaterThan(0);
    expect(megan.messages.every((message) => message.id.startsWith('AAMk-megan-'))).toBe(true);
    expect(megan.messages.map((message) => message.subject)).toContain('Quarterly report: Fabrikam X1 Roadmap');
  });

  it('refuses another user\'s folder id as not found', async () => {
    const result = await callTool(users.alex, 'list_messages', { folder: mailFolderId(data(ADELE), 'archive') });
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe('not_found');
  });

  it('refuses a cursor from another tool, a forged one, and a folder path', async () => {
    const first = structured(searchMessages, await callTool(users.adele, 'search_messages', { query: 'note', top: 5 }));
    expect(first.nextCursor).toBeDefined();
    const foreign = await callTool(users.adele, 'list_messages', { cursor: first.nextCursor });
    expect(toolErrorCode(foreign)).toBe('cursor_invalid');
    const forged = Buffer.from(JSON.stringify({ t: 'list_messages', u: `${stack.graph.url}/v1.0/me/events` })).toString('base64url');
    expect(toolErrorCode(await callTool(users.adele, 'list_messages', { cursor: forged }))).toBe('cursor_invalid');
    expect(toolErrorCode(await callTool(users.adele, 'list_messages', { cursor: 'not a cursor' }))).toBe('cursor_invalid');
    expect(toolErrorCode(await callTool(users.adele, 'list_messages', { folder: '../messages' }))).toBe('input_invalid');
  });
});

describe('search_messages', () => {
  it('finds messages by KQL property, without $orderby (which Graph refuses with $search)', async () => {
    const before = stack.graph.requests.length;
    const { messages } = structured(searchMessages, await callTool(users.adele, 'search_messages', { query: 'subject:"quarterly report"' }));
    expect(messages.map((message) => message.id)).toEqual([idOf(ADELE, 'report')]);
    expect(messages[0]).toMatchObject({ subject: 'Quarterly report: Contoso Retail Q3', hasAttachments: true });
    const [request] = graphRequestsSince(stack, before);
    expect(request?.path).toBe('/v1.0/me/messages');
    expect(request?.query.get('$search')).toBe('"subject:\\"quarterly report\\""');
    expect(request?.query.has('$orderby')).toBe(false);
    expect(request?.query.get('$select')).toBe('id,subject,from,receivedDateTime,isRead,hasAttachments,bodyPreview,importance,webLink');
  });

  it('combines terms across folders and pages without duplicates', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = structured(searchMessages, await callTool(users.adele, 'search_messages', cursor === undefined ? { query: 'from:lee note', top: 7 } : { query: 'from:lee note', cursor }));
      seen.push(...page.messages.map((message) => message.id));
      expect(page.messages.every((message) => message.from?.address === 'LeeG@contoso.example')).toBe(true);
      cursor = page.nextCursor;
    } while (cursor !== undefined && ++pages < 20);
    const expected = data(ADELE).messages
      .filter((message) => message.from?.emailAddress?.address === 'LeeG@contoso.example' && /note/i.test(`${message.subject} ${message.body?.content}`))
      .map((message) => message.id);
    expect(expected.length).toBeGreaterThan(20);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...expected].sort());
  });

  it('keeps query text inside $search: no injected query parameters', async () => {
    const before = stack.graph.requests.length;
    const result = await callTool(users.adele, 'search_messages', { query: 'invoice&$top=1#x "4711"' });
    const { messages } = structured(searchMessages, result);
    const [request] = graphRequestsSince(stack, before);
    expect(request?.query.getAll('$top')).toEqual(['20']);
    expect([...request!.query.keys()].sort()).toEqual(['$search', '$select', '$top']);
    expect(request?.query.get('$search')).toBe('"invoice&$top=1#x \\"4711\\""');
    expect(messages).toEqual([]);
  });

  it('searches only the caller\'s mailbox', async () => {
    const adele = structured(searchMessages, await callTool(users.adele, 'search_messages', { query: 'subject:report' }));
    const alex = structured(searchMessages, await callTool(users.alex, 'search_messages', { query: 'subject:report' }));
    expect(adele.messages.length).toBeGreaterThan(0);
    expect(alex.messages.length).toBeGreaterThan(0);
    expect(adele.messages.every((message) => message.id.startsWith('AAMk-adele-'))).toBe(true);
    expect(alex.messages.every((message) => message.id.startsWith('AAMk-alex-'))).toBe(true);
    const megan = structured(searchMessages, await callTool(users.megan, 'search_messages', { query: '"Seattle flagship"' }));
    expect(megan.messages).toEqual([]);
  });

  it('refuses an empty query and a list_messages cursor', async () => {
    expect(toolErrorCode(await callTool(users.adele, 'search_messages', { query: '   ' }))).toBe('input_invalid');
    const listed = structured(listMessages, await callTool(users.adele, 'list_messages', { folder: 'archive', top: 5 }));
    expect(toolErrorCode(await callTool(users.adele, 'search_messages', { query: 'note', cursor: listed.nextCursor }))).toBe('cursor_invalid');
  });
});

describe('get_message', () => {
  it('returns an HTML message as plain text, with attachment names and sizes only', async () => {
    const before = stack.graph.requests.length;
    const result = await callTool(users.adele, 'get_message', { id: idOf(ADELE, 'report') });
    const message = structured(getMessage, result);
    expect(message).toMatchObject({
      id: idOf(ADELE, 'report'),
      subject: 'Quarterly report: Contoso Retail Q3',
      from: { name: 'Lee Gu', address: 'LeeG@contoso.example' },
      to: [{ name: 'Adele Vance', address: 'AdeleV@contoso.example' }],
      cc: [{ name: 'Patti Fernandez', address: 'PattiF@contoso.example' }],
      isRead: false,
      truncated: false,
    });
    expect(message.body).toContain('Hi Adele,');
    expect(message.body).toContain('Attached is the quarterly report for Contoso Retail Q3.');
    expect(message.body).not.toMatch(/[<>]|tracking-pixel-code|color: red/);
    expect(message.bodyLength).toBe(message.body.length);
    expect(message.attachments).toEqual([
      { name: 'quarterly-report.pdf', contentType: 'application/pdf', size: 48_213, isInline: false },
      { name: 'logo.png', contentType: 'image/png', size: 2_048, isInline: true },
    ]);
    expect(JSON.stringify(result)).not.toContain('contentBytes');
    const [request] = graphRequestsSince(stack, before);
    expect(request?.path).toBe(`/v1.0/me/messages/${idOf(ADELE, 'report')}`);
    expect(request?.query.get('$expand')).toBe('attachments($select=name,contentType,size,isInline)');
    expect(request?.query.get('$select')?.split(',')).toContain('body');
  });

  it('cuts a long body and says so', async () => {
    const result = await callTool(users.adele, 'get_message', { id: idOf(ADELE, 'newsletter') });
    const message = structured(getMessage, result);
    expect(message.truncated).toBe(true);
    expect(message.body).toHaveLength(MAX_BODY_CHARS);
    expect(message.bodyLength).toBeGreaterThan(MAX_BODY_CHARS);
    expect(message.body).not.toMatch(/trackOpen|<p>/);
    const text = result.content.find((part) => part.type === 'text')?.text ?? '';
    expect(text).toContain(`cut at ${MAX_BODY_CHARS} of ${message.bodyLength} characters`);
  });

  it('reads a plain text message unchanged', async () => {
    const message = structured(getMessage, await callTool(users.adele, 'get_message', { id: idOf(ADELE, 'lunch') }));
    const stored = data(ADELE).messages.find((candidate) => candidate.id === idOf(ADELE, 'lunch'));
    expect(message.body).toBe(stored?.body?.content);
    expect(message.attachments).toEqual([]);
  });

  it('gives other users not_found for the same id, in and across tenants', async () => {
    for (const client of [users.alex, users.megan]) {
      const result = await callTool(client, 'get_message', { id: idOf(ADELE, 'report') });
      expect(result.isError).toBe(true);
      expect(toolErrorCode(result)).toBe('not_found');
    }
    expect(toolErrorCode(await callTool(users.adele, 'get_message', { id: 'AAMk-adele-missing=' }))).toBe('not_found');
  });

  it('refuses ids that are paths or URLs before calling Graph', async () => {
    const before = stack.graph.requests.length;
    for (const id of ['a/b', '../messages', 'x?$select=body', '']) {
      expect(toolErrorCode(await callTool(users.adele, 'get_message', { id }))).toBe('input_invalid');
    }
    expect(stack.graph.requests.length).toBe(before);
  });
});
