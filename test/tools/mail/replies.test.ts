// reply_to_message and forward_message over a real MCP client: drafts by default, what sending delivers to whom, the
// audit row's recipients, what the person is asked to confirm, and that nobody reaches another user's mail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardMessage } from '../../../shared/tools/mail/forwardMessage.js';
import { getMessage } from '../../../shared/tools/mail/getMessage.js';
import { replyToMessage } from '../../../shared/tools/mail/replyToMessage.js';
import { GRAPH_AUDIENCE } from '../../../sandbox/identityProvider.js';
import { messagesIn, type WellKnownFolder } from '../../../sandbox/graph/mailRoutes.js';
import { ADELE, ALEX, MEGAN, type SampleUser } from '../../../sandbox/sampleUsers.js';
import { stackTable, tableRows } from '../../support/multiInstance.js';
import { toolErrorCode } from '../../support/rawMcp.js';
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

const idOf = (user: SampleUser, slug: string) => `AAMk-${user.key}-${slug}=`;
const FOLDERS: readonly WellKnownFolder[] = ['inbox', 'sentitems', 'drafts', 'archive', 'deleteditems'];
const snapshot = () => Object.fromEntries([ADELE, ALEX, MEGAN].flatMap((user) =>
  FOLDERS.map((folder) => [`${user.key}/${folder}`, messagesIn(stack.graph.dataOf(user), folder).map((message) => message.id)])));

/** Folder → ids added since `before` (ids that left a folder are listed under `-folder`). */
function changes(before: Record<string, string[]>): Record<string, string[]> {
  const after = snapshot();
  const changed: Record<string, string[]> = {};
  for (const [folder, now] of Object.entries(after)) {
    const was = before[folder] ?? [];
    const added = now.filter((id) => !was.includes(id));
    const gone = was.filter((id) => !now.includes(id));
    if (added.length > 0) changed[folder] = added;
    if (gone.length > 0) changed[`-${folder}`] = gone;
  }
  return changed;
}

const stored = (user: SampleUser, id: string | undefined) => stack.graph.dataOf(user).messages.find((message) => message.id === id);
const addresses = (recipients: { emailAddress?: { address?: string | null } | null }[] | null | undefined) => (recipients ?? []).map((recipient) => recipient.emailAddress?.address);

async function auditRow(tool: string, user: SampleUser): Promise<Record<string, unknown> | undefined> {
  const rows = (await tableRows(stackTable(stack, 'Audit'))).filter((row) => row['tool'] === tool && row['oid'] === user.oid);
  return rows.sort((a, b) => Number(a['time']) - Number(b['time'])).at(-1);
}

describe('reply_to_message', () => {
  it('saves the reply in the caller\'s Drafts by default, addressed by Exchange to the sender, and sends nothing', async () => {
    const before = snapshot();
    const graph = stack.graph.requests.length;
    const result = await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'peer'), comment: 'Thursday works for me.' });
    const reply = structured(replyToMessage, result);
    expect(reply).toMatchObject({ sent: false, subject: 'RE: Re: Surface Go launch checklist', to: [ALEX.upn], cc: [] });
    expect(reply.webLink).toMatch(/^https:\/\//);
    expect(changes(before)).toEqual({ 'adele/drafts': [reply.draftId] });
    expect(graphRequestsSince(stack, graph).map((request) => [request.method, request.path, request.status]))
      .toEqual([['POST', `/v1.0/me/messages/${idOf(ADELE, 'peer')}/createReply`, 201]]);
    expect(JSON.stringify(result.content)).toMatch(/Nothing was sent/);
    const draft = structured(getMessage, await callTool(users.adele, 'get_message', { id: reply.draftId ?? '' }));
    expect(draft.body).toContain('Thursday works for me.');
    expect(draft.body).toContain('launch checklist');
    // The audit row names the original, the draft, and the recipients Graph chose (as a count and domains).
    expect(await auditRow('reply_to_message', ADELE)).toMatchObject({
      outcome: 'succeeded', targetId: idOf(ADELE, 'peer'), createdId: reply.draftId, recipientCount: 1, recipientDomains: 'contoso.example',
    });
  });

  it('replies to all on the original, never to the caller, when replyAll is set', async () => {
    const reply = structured(replyToMessage, await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'report'), comment: 'Thanks, Lee.', replyAll: true }));
    expect(reply).toMatchObject({ sent: false, to: ['LeeG@contoso.example'], cc: ['PattiF@contoso.example'] });
    const alone = structured(replyToMessage, await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'report'), comment: 'Thanks.' }));
    expect(alone).toMatchObject({ to: ['LeeG@contoso.example'], cc: [] });
  });

  it('sends when asked: the draft moves to Sent Items and reaches the same-tenant sender\'s inbox', async () => {
    const before = snapshot();
    const graph = stack.graph.requests.length;
    const result = await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'peer'), comment: 'Sent right away.', send: true });
    const reply = structured(replyToMessage, result);
    expect(reply).toEqual({ sent: true, subject: 'RE: Re: Surface Go launch checklist', to: [ALEX.upn], cc: [] });
    const requests = graphRequestsSince(stack, graph);
    expect(requests.map((request) => [request.method, request.path.replace(/adele-msg-[^/]+/, 'DRAFT'), request.status])).toEqual([
      ['POST', `/v1.0/me/messages/${idOf(ADELE, 'peer')}/createReply`, 201],
      ['POST', '/v1.0/me/messages/DRAFT/send', 202],
    ]);
    const changed = changes(before);
    expect(Object.keys(changed).sort()).toEqual(['adele/sentitems', 'alex/inbox']);
    const delivered = structured(getMessage, await callTool(users.alex, 'get_message', { id: changed['alex/inbox']?.[0] ?? '' }));
    expect(delivered).toMatchObject({ subject: 'RE: Re: Surface Go launch checklist', from: { address: ADELE.upn } });
    expect(delivered.body).toContain('Sent right away.');
    const row = await auditRow('reply_to_message', ADELE);
    expect(row).toMatchObject({ outcome: 'succeeded', recipientCount: 1, recipientDomains: 'contoso.example' });
    // A sent reply leaves no draft behind to name.
    expect(row).not.toHaveProperty('createdId');
  });

  it('says the reply waits in Drafts, by id, when the send fails after the draft was saved', async () => {
    const before = snapshot();
    stack.graph.faults.push({ status: 403, times: 1, path: /\/send$/ });
    const result = await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'lunch'), comment: 'Yes!', send: true });
    expect(toolErrorCode(result)).toBe('forbidden');
    const changed = changes(before);
    expect(Object.keys(changed)).toEqual(['adele/drafts']);
    expect(JSON.stringify(result.content)).toContain(`Saved in Drafts (id ${changed['adele/drafts']?.[0]}) but not sent`);
  });

  it('sends nothing when Graph answers the draft without an id', async () => {
    stack.graph.hostile.push({ path: /\/createReply$/, times: 1, status: 201, send: (response) => response.writeHead(201, { 'content-type': 'application/json' }).end('{"subject":"RE: x"}') });
    const graph = stack.graph.requests.length;
    expect(toolErrorCode(await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'lunch'), comment: 'Yes', send: true }))).toBe('upstream_invalid');
    expect(stack.graph.requests.slice(graph).map((request) => request.path)).toEqual([`/v1.0/me/messages/${encodeURIComponent(idOf(ADELE, 'lunch'))}/createReply`]);
  });
});

describe('forward_message', () => {
  it('saves a forward with the attachments in Drafts by default', async () => {
    const before = snapshot();
    const forward = structured(forwardMessage, await callTool(users.adele, 'forward_message', { id: idOf(ADELE, 'report'), to: [ALEX.upn], comment: 'For the campaign.' }));
    expect(forward).toMatchObject({ sent: false, subject: 'FW: Quarterly report: Contoso Retail Q3', to: [ALEX.upn], cc: [] });
    expect(changes(before)).toEqual({ 'adele/drafts': [forward.draftId] });
    expect(stored(ADELE, forward.draftId)?.attachments?.map((attachment) => attachment.name)).toEqual(['quarterly-report.pdf', 'logo.png']);
  });

  it('sends to the named recipients when asked: same-tenant inboxes get it, attachments and all, and the audit row counts them all', async () => {
    const before = snapshot();
    const forward = structured(forwardMessage, await callTool(users.adele, 'forward_message', {
      id: idOf(ADELE, 'invoice'), to: [ALEX.upn], cc: [MEGAN.upn], comment: 'Please pay this one.', send: true,
    }));
    expect(forward).toEqual({ sent: true, subject: 'FW: Invoice 4711 from Northwind Traders', to: [ALEX.upn], cc: [MEGAN.upn] });
    const changed = changes(before);
    // Megan is in another tenant: the local Graph delivers only within one.
    expect(Object.keys(changed).sort()).toEqual(['adele/sentitems', 'alex/inbox']);
    const copy = stored(ALEX, changed['alex/inbox']?.[0]);
    expect(copy).toMatchObject({ subject: 'FW: Invoice 4711 from Northwind Traders', isRead: false });
    expect(addresses(copy?.ccRecipients)).toEqual([MEGAN.upn]);
    expect(copy?.attachments?.map((attachment) => attachment.name)).toEqual(['invoice-4711.pdf']);
    expect(await auditRow('forward_message', ADELE)).toMatchObject({ outcome: 'succeeded', targetId: idOf(ADELE, 'invoice'), recipientCount: 2, recipientDomains: 'contoso.example,fabrikam.example' });
  });

  it.each([
    ['no recipient', { id: 'AAMk-adele-report=', to: [] }],
    ['a display-name address', { id: 'AAMk-adele-report=', to: ['Alex <AlexW@contoso.example>'] }],
    ['101 recipients', { id: 'AAMk-adele-report=', to: Array.from({ length: 60 }, (_, n) => `to${n}@external.example`), cc: Array.from({ length: 41 }, (_, n) => `cc${n}@external.example`) }],
    ['a path for an id', { id: '../mailFolders/inbox', to: ['a@external.example'] }],
  ])('refuses %s before calling Graph', async (_case, args) => {
    const graph = stack.graph.requests.length;
    expect(toolErrorCode(await callTool(users.adele, 'forward_message', args))).toBe('input_invalid');
    expect(stack.graph.requests.length).toBe(graph);
  });
});

describe('isolation', () => {
  it('gives another user not_found for the caller\'s message, whether drafting or sending, and changes no mailbox', async () => {
    for (const [name, args] of [
      ['reply_to_message', { id: idOf(ADELE, 'peer'), comment: 'hijack' }],
      ['reply_to_message', { id: idOf(ADELE, 'peer'), comment: 'hijack', replyAll: true, send: true }],
      ['forward_message', { id: idOf(ADELE, 'report'), to: ['thief@external.example'], send: true }],
    ] as const) {
      const before = snapshot();
      for (const client of [users.alex, users.megan]) expect(toolErrorCode(await callTool(client, name, args)), name).toBe('not_found');
      expect(changes(before), name).toEqual({});
    }
    // Refused by Graph, the forward is still audited, with the recipients the caller named.
    expect(await auditRow('forward_message', MEGAN)).toMatchObject({ outcome: 'failed', errorCode: 'not_found', targetId: idOf(ADELE, 'report'), recipientCount: 1, recipientDomains: 'external.example' });
  });

  it('the local Graph sends only the caller\'s own drafts', async () => {
    const draft = structured(replyToMessage, await callTool(users.adele, 'reply_to_message', { id: idOf(ADELE, 'budget'), comment: 'Noted.' })).draftId ?? '';
    const now = Math.floor(Date.now() / 1000);
    const token = await stack.idp.sign({ aud: GRAPH_AUDIENCE, iss: stack.idp.issuer(ALEX.tid), tid: ALEX.tid, oid: ALEX.oid, scp: 'Mail.ReadWrite Mail.Send', iat: now, nbf: now, exp: now + 600 });
    const before = snapshot();
    for (const action of ['send', 'createForward']) {
      const answer = await fetch(`${stack.graph.url}/v1.0/me/messages/${encodeURIComponent(draft)}/${action}`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}',
      });
      expect(answer.status, action).toBe(404);
    }
    expect(changes(before)).toEqual({});
    expect(stored(ADELE, draft)?.isDraft).toBe(true);
  });
});

describe('least privilege', () => {
  it.each([
    ['reply_to_message', { id: 'AAMk-adele-lunch=', comment: 'Scope check' }],
    ['forward_message', { id: 'AAMk-adele-lunch=', to: ['someone@external.example'] }],
  ] as const)('%s asks the OBO exchange for Mail.ReadWrite (the draft) and Mail.Send (sending it), and no more', async (name, args) => {
    const client = await connectAs(stack, ADELE);
    const obo = stack.idp.oboRequests.length;
    const result = await callTool(client, name, args);
    await client.close();
    expect(result.isError, JSON.stringify(result)).toBeFalsy();
    expect(stack.idp.oboRequests.slice(obo).map((request) => request.scopes)).toEqual([['Mail.ReadWrite', 'Mail.Send']]);
  });
});

describe('confirmation', () => {
  it('asks nothing for a draft, which reaches no one', () => {
    expect(replyToMessage.confirm?.(replyToMessage.input.parse({ id: 'm', comment: 'hi' }))).toBeUndefined();
    expect(forwardMessage.confirm?.(forwardMessage.input.parse({ id: 'm', to: ['a@b.example'] }))).toBeUndefined();
  });

  it('names every forward recipient, and says a reply\'s recipients are Exchange\'s to pick, with the text that goes out', () => {
    expect(forwardMessage.confirm?.(forwardMessage.input.parse({ id: 'm', to: ['a@b.example'], cc: ['c@d.example'], comment: 'FYI', send: true })))
      .toEqual({ action: expect.stringContaining('Forward message m') as unknown, targets: ['a@b.example', 'c@d.example'], preview: 'FYI' });
    const all = replyToMessage.confirm?.(replyToMessage.input.parse({ id: 'm', comment: 'Agreed', replyAll: true, send: true }));
    expect(all).toMatchObject({ preview: 'Agreed', targets: [expect.stringMatching(/^Everyone on the original message/) as unknown] });
    expect(replyToMessage.confirm?.(replyToMessage.input.parse({ id: 'm', comment: 'Agreed', send: true }))?.targets).toEqual([expect.stringMatching(/^The sender of the original message/) as unknown]);
  });
});
