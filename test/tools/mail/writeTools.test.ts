// send_mail and create_draft over a real MCP client: what lands in whose mailbox, and what is refused before Graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDraft } from '../../../shared/tools/mail/createDraft.js';
import { getMessage } from '../../../shared/tools/mail/getMessage.js';
import { listMessages } from '../../../shared/tools/mail/listMessages.js';
import { sendMail } from '../../../shared/tools/mail/sendMail.js';
import { messagesIn, type WellKnownFolder } from '../../../sandbox/graph/mailRoutes.js';
import { toolErrorCode } from '../../support/rawMcp.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../../support/testStack.js';
import { callTool, connectAs, graphRequestsSince, structured, type Clients } from './mailTestKit.js';

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

const ids = (user: SampleUser, folder: WellKnownFolder) => messagesIn(stack.graph.dataOf(user), folder).map((message) => message.id);
/** Every folder of every sample user, to show a write touched only what it should. */
const snapshot = () => Object.fromEntries([ADELE, ALEX, MEGAN].flatMap((user) =>
  (['inbox', 'sentitems', 'drafts', 'archive', 'deleteditems'] as const).map((folder) => [`${user.key}/${folder}`, ids(user, folder)])));

/** What changed between two snapshots: folder → ids added. */
function added(before: Record<string, string[]>, after: Record<string, string[]>): Record<string, string[]> {
  const changes: Record<string, string[]> = {};
  for (const [folder, now] of Object.entries(after)) {
    const was = new Set(before[folder]);
    const fresh = now.filter((id) => !was.has(id));
    expect(now.filter((id) => was.has(id)), `${folder} lost messages`).toHaveLength(was.size);
    if (fresh.length > 0) changes[folder] = fresh;
  }
  return changes;
}

describe('send_mail', () => {
  it('saves the sender\'s copy and delivers only to the same-tenant recipient\'s inbox', async () => {
    const before = snapshot();
    const result = await callTool(users.adele, 'send_mail', {
      to: ['AlexW@contoso.example'],
      cc: ['MeganB@fabrikam.example', 'alexw@contoso.example'],
      bcc: ['auditor@external.example'],
      subject: 'Store visit on Monday',
      body: 'Alex, can you join the Seattle store visit on Monday?',
    });
    expect(structured(sendMail, result)).toEqual({ sent: true, recipients: 3 });
    const changes = added(before, snapshot());
    expect(Object.keys(changes).sort()).toEqual(['adele/sentitems', 'alex/inbox']);
    expect(changes['adele/sentitems']).toHaveLength(1);
    expect(changes['alex/inbox']).toHaveLength(1);

    const sent = stack.graph.dataOf(ADELE).messages.find((message) => message.id === changes['adele/sentitems']?.[0]);
    expect(sent).toMatchObject({ subject: 'Store visit on Monday', isDraft: false, from: { emailAddress: { address: ADELE.upn } } });
    expect(sent?.bccRecipients?.map((recipient) => recipient.emailAddress?.address)).toEqual(['auditor@external.example']);

    // Alex reads his copy through the tools; Adele cannot reach his copy's id.
    const deliveredId = changes['alex/inbox']?.[0] ?? '';
    const inbox = structured(listMessages, await callTool(users.alex, 'list_messages', { unreadOnly: true }));
    expect(inbox.messages[0]).toMatchObject({ id: deliveredId, subject: 'Store visit on Monday', isRead: false, from: { address: ADELE.upn } });
    const delivered = structured(getMessage, await callTool(users.alex, 'get_message', { id: deliveredId }));
    expect(delivered.body).toBe('Alex, can you join the Seattle store visit on Monday?');
    expect(delivered.to.map((address) => address.address)).toEqual(['AlexW@contoso.example']);
    expect(JSON.stringify(stack.graph.dataOf(ALEX).messages.find((message) => message.id === deliveredId))).not.toContain('auditor@external.example');
    expect(toolErrorCode(await callTool(users.adele, 'get_message', { id: deliveredId }))).toBe('not_found');
  });

  it('keeps a copy in Sent Items even when told not to (saveToSentItems is not the agent\'s to set), and sends HTML that the recipient reads as text', async () => {
    const before = snapshot();
    const result = await callTool(users.alex, 'send_mail', {
      to: ['AdeleV@contoso.example'],
      subject: 'Campaign figures',
      body: '<p>The <b>spring</b> numbers are in.</p><script>steal()</script>',
      bodyType: 'html',
      saveToSentItems: false,
    });
    expect(structured(sendMail, result)).toEqual({ sent: true, recipients: 1 });
    expect(JSON.stringify(result.content)).toMatch(/copy is in Sent Items/);
    const changes = added(before, snapshot());
    expect(Object.keys(changes).sort()).toEqual(['adele/inbox', 'alex/sentitems']);
    expect(Object.keys(sendMail.input.shape)).not.toContain('saveToSentItems');
    const message = structured(getMessage, await callTool(users.adele, 'get_message', { id: changes['adele/inbox']?.[0] ?? '' }));
    expect(message.body).toContain('The spring numbers are in.');
    expect(message.body).not.toMatch(/steal|<|>/);
  });

  it('posts to /me/sendMail and gets 202', async () => {
    const before = stack.graph.requests.length;
    structured(sendMail, await callTool(users.megan, 'send_mail', { to: ['LeeG@fabrikam.example'], subject: 'Roadmap', body: 'See you at the review.' }));
    expect(graphRequestsSince(stack, before).map((request) => [request.method, request.path, request.status])).toEqual([['POST', '/v1.0/me/sendMail', 202]]);
    expect(ids(MEGAN, 'sentitems')).toHaveLength(2);
  });

  it.each([
    ['no recipient', { to: [], subject: 'Hello', body: 'x' }],
    ['a malformed address', { to: ['not-an-address'], subject: 'Hello', body: 'x' }],
    ['a display-name address', { to: ['Alex Wilber <AlexW@contoso.example>'], subject: 'Hello', body: 'x' }],
    ['two addresses in one entry', { to: ['a@external.example, b@external.example'], subject: 'Hello', body: 'x' }],
    ['101 recipients', { to: Array.from({ length: 60 }, (_, n) => `to${n}@external.example`), cc: Array.from({ length: 41 }, (_, n) => `cc${n}@external.example`), subject: 'Hello', body: 'x' }],
    ['an empty subject', { to: ['a@external.example'], subject: '', body: 'x' }],
    ['an unknown body type', { to: ['a@external.example'], subject: 'Hello', body: 'x', bodyType: 'markdown' }],
  ])('refuses %s before calling Graph', async (_case, args) => {
    const before = snapshot();
    const graph = stack.graph.requests.length;
    const result = await callTool(users.adele, 'send_mail', args);
    expect(result.isError).toBe(true);
    expect(toolErrorCode(result)).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(graph);
    expect(added(before, snapshot())).toEqual({});
  });
});

describe('create_draft', () => {
  it('saves a draft in the caller\'s Drafts only, readable by the caller alone', async () => {
    const before = snapshot();
    const graph = stack.graph.requests.length;
    const result = await callTool(users.adele, 'create_draft', {
      to: ['AlexW@contoso.example'],
      subject: 'Holiday staffing plan',
      body: 'Draft: who covers the Seattle store in December?',
    });
    const draft = structured(createDraft, result);
    expect(draft.webLink).toMatch(/^https:\/\/outlook\.office365\.com\//);
    expect(added(before, snapshot())).toEqual({ 'adele/drafts': [draft.id] });
    expect(graphRequestsSince(stack, graph).map((request) => [request.method, request.path, request.status])).toEqual([['POST', '/v1.0/me/messages', 201]]);
    expect(stack.graph.dataOf(ADELE).messages.find((message) => message.id === draft.id)).toMatchObject({ isDraft: true, subject: 'Holiday staffing plan' });

    const read = structured(getMessage, await callTool(users.adele, 'get_message', { id: draft.id }));
    expect(read).toMatchObject({ subject: 'Holiday staffing plan', body: 'Draft: who covers the Seattle store in December?', to: [{ address: 'AlexW@contoso.example' }] });
    for (const client of [users.alex, users.megan]) {
      expect(toolErrorCode(await callTool(client, 'get_message', { id: draft.id }))).toBe('not_found');
    }
    const drafts = structured(listMessages, await callTool(users.adele, 'list_messages', { folder: 'drafts' }));
    expect(drafts.messages.map((message) => message.id)).toContain(draft.id);
  });

  it('accepts a draft without recipients, and refuses more than 100', async () => {
    const draft = structured(createDraft, await callTool(users.alex, 'create_draft', { subject: 'Ideas', body: '<ul><li>Podcast</li></ul>', bodyType: 'html' }));
    expect(ids(ALEX, 'drafts')).toContain(draft.id);
    const tooMany = await callTool(users.alex, 'create_draft', { bcc: Array.from({ length: 101 }, (_, n) => `b${n}@external.example`), subject: 'Too many', body: '' });
    expect(toolErrorCode(tooMany)).toBe('input_invalid');
  });
});
