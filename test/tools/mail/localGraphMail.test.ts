// The local Graph's mail endpoints answer as Microsoft Graph does where the mail tools depend on it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_AUDIENCE } from '../../../sandbox/identityProvider.js';
import { mailFolderId } from '../../../sandbox/graph/mailRoutes.js';
import { ADELE, ALEX, type SampleUser } from '../../../sandbox/sampleUsers.js';
import { startTestStack, type TestStack } from '../../support/testStack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

/** A Graph access token as the OBO exchange would issue it, with exactly `scp`. */
async function graphToken(user: SampleUser, scp: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return stack.idp.sign({ aud: GRAPH_AUDIENCE, iss: stack.idp.issuer(user.tid), tid: user.tid, oid: user.oid, scp, iat: now, nbf: now, exp: now + 600 });
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> | undefined;
}

async function graph(user: SampleUser, scp: string, method: string, path: string, options: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Answer> {
  const response = await fetch(`${stack.graph.url}/v1.0${path}`, {
    method,
    headers: { authorization: `Bearer ${await graphToken(user, scp)}`, 'content-type': 'application/json', ...options.headers },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) as Record<string, unknown> };
}

const errorCode = (answer: Answer) => (answer.body?.['error'] as { code?: string } | undefined)?.code;
const REPORT = encodeURIComponent('AAMk-adele-report=');

describe('local Graph mail', () => {
  it('refuses $orderby with $search, as Graph does', async () => {
    const answer = await graph(ADELE, 'Mail.Read', 'GET', `/me/messages?$search=${encodeURIComponent('"report"')}&$orderby=receivedDateTime%20desc`);
    expect(answer.status).toBe(400);
    expect(errorCode(answer)).toBe('SearchWithOrderBy');
  });

  it('refuses a $filter that does not lead with the $orderby property (InefficientFilter)', async () => {
    const inbox = '/me/mailFolders/inbox/messages?$orderby=receivedDateTime%20desc&$filter=';
    const refused = await graph(ADELE, 'Mail.Read', 'GET', `${inbox}${encodeURIComponent('isRead eq false')}`);
    expect(refused.status).toBe(400);
    expect(errorCode(refused)).toBe('InefficientFilter');
    const accepted = await graph(ADELE, 'Mail.Read', 'GET', `${inbox}${encodeURIComponent('receivedDateTime ge 1900-01-01T00:00:00Z and isRead eq false')}`);
    expect(accepted.status).toBe(200);
    expect((accepted.body?.['value'] as { isRead: boolean }[]).every((message) => !message.isRead)).toBe(true);
    const unknown = await graph(ADELE, 'Mail.Read', 'GET', `/me/messages?$filter=${encodeURIComponent('colour eq \'red\'')}`);
    expect(unknown.status).toBe(400);
  });

  it('converts HTML bodies to text only when asked with Prefer, and expands attachments only when asked', async () => {
    const html = await graph(ADELE, 'Mail.Read', 'GET', `/me/messages/${REPORT}?$select=body`);
    expect(html.status).toBe(200);
    expect(html.body?.['body']).toMatchObject({ contentType: 'html' });
    expect(JSON.stringify(html.body)).toContain('<script>');
    expect(Object.keys(html.body ?? {}).sort()).toEqual(['body', 'id']);
    const text = await graph(ADELE, 'Mail.Read', 'GET', `/me/messages/${REPORT}?$select=body&$expand=attachments($select=name,size)`, { headers: { prefer: 'outlook.body-content-type="text"' } });
    expect(text.headers.get('preference-applied')).toBe('outlook.body-content-type="text"');
    expect(text.body?.['body']).toMatchObject({ contentType: 'text' });
    expect(JSON.stringify(text.body)).not.toMatch(/<script>|tracking-pixel-code/);
    expect(text.body?.['attachments']).toEqual([
      { '@odata.type': '#microsoft.graph.fileAttachment', id: 'AAMk-adele-report=-att-0', name: 'quarterly-report.pdf', size: 48_213 },
      { '@odata.type': '#microsoft.graph.fileAttachment', id: 'AAMk-adele-report=-att-1', name: 'logo.png', size: 2_048 },
    ]);
  });

  it('serves only the token user\'s items: another user\'s ids are ErrorItemNotFound', async () => {
    expect(errorCode(await graph(ALEX, 'Mail.Read', 'GET', `/me/messages/${REPORT}`))).toBe('ErrorItemNotFound');
    const folder = await graph(ALEX, 'Mail.Read', 'GET', `/me/mailFolders/${mailFolderId(stack.graph.dataOf(ADELE), 'archive')}/messages`);
    expect(folder.status).toBe(404);
    expect(errorCode(folder)).toBe('ErrorItemNotFound');
  });

  it('pages with $top and an @odata.nextLink that keeps the query', async () => {
    const first = await graph(ADELE, 'Mail.Read', 'GET', '/me/mailFolders/Archive/messages?$top=40&$select=subject');
    expect((first.body?.['value'] as unknown[]).length).toBe(40);
    const next = new URL(String(first.body?.['@odata.nextLink']));
    expect(next.searchParams.get('$select')).toBe('subject');
    expect(next.searchParams.get('$top')).toBe('40');
  });

  it('checks scopes per endpoint', async () => {
    expect((await graph(ADELE, 'Mail.ReadBasic', 'GET', '/me/messages')).status).toBe(403);
    expect((await graph(ADELE, 'Mail.ReadWrite', 'GET', '/me/messages')).status).toBe(200);
    const message = { message: { subject: 'x', toRecipients: [{ emailAddress: { address: 'a@external.example' } }] } };
    expect((await graph(ADELE, 'Mail.Read', 'POST', '/me/sendMail', { body: message })).status).toBe(403);
    expect((await graph(ADELE, 'Mail.ReadWrite', 'POST', '/me/sendMail', { body: message })).status).toBe(403);
    expect((await graph(ADELE, 'Mail.Send', 'POST', '/me/messages', { body: { subject: 'x' } })).status).toBe(403);
  });

  it('refuses sendMail without recipients or with a bad address, and a draft with a bad body type', async () => {
    const none = await graph(ADELE, 'Mail.Send', 'POST', '/me/sendMail', { body: { message: { subject: 'x' } } });
    expect(none.status).toBe(400);
    expect(errorCode(none)).toBe('ErrorInvalidRecipients');
    const bad = await graph(ADELE, 'Mail.Send', 'POST', '/me/sendMail', { body: { message: { toRecipients: [{ emailAddress: { address: 'nobody' } }] } } });
    expect(errorCode(bad)).toBe('ErrorInvalidRecipients');
    const noMessage = await graph(ADELE, 'Mail.Send', 'POST', '/me/sendMail', { body: { saveToSentItems: true } });
    expect(noMessage.status).toBe(400);
    const draft = await graph(ADELE, 'Mail.ReadWrite', 'POST', '/me/messages', { body: { body: { contentType: 'markdown', content: 'x' } } });
    expect(draft.status).toBe(400);
  });
});
