// The attachment tools over a real MCP client and HTTP: a message's and an event's attachments listed and read (PDF,
// .xlsx, .pptx, an attached message, a cloud-file link), each user's own only, least privilege, and a hostile Graph.
import { beforeEach, describe, expect, it } from 'vitest';
import { listAttachments, listEventAttachments, readAttachment, readEventAttachment } from '../../shared/tools/attachments/attachmentTools.js';
import { MAX_ATTACHMENT_BYTES } from '../../shared/tools/attachments/readAttachment.js';
import { rawReply, streamReply } from '../../sandbox/graph/hostileGraph.js';
import { ADELE, type SampleUser } from '../../sandbox/sampleUsers.js';
import type { McpClient } from '../support/mcpClient.js';
import { useConnectedStack } from '../support/connectedStack.js';
import type { TestStack } from '../support/testStack.js';
import { callTool, errorCode, expectListed, READ_ONLY, structured } from '../support/toolCalls.js';

let stack: TestStack;
let adele: McpClient;
let alex: McpClient;
useConnectedStack((connected) => ({ stack, adele, alex } = connected));

const messageId = (user: SampleUser, slug: string) => `AAMk-${user.key}-${slug}=`;
const attachmentId = (user: SampleUser, slug: string, index: number) => `${messageId(user, slug)}-att-${index}`;
const eventId = (user: SampleUser) => `${user.key}-event-000`;

let mark = 0;
beforeEach(() => {
  mark = stack.graph.requests.length;
});
const requestsSince = () => stack.graph.requests.slice(mark);

describe('tools/list', () => {
  it('lists the four attachment tools as read-only, each well inside its share of the tools/list budget', async () => {
    await expectListed(adele, { list_attachments: READ_ONLY, read_attachment: READ_ONLY, list_event_attachments: READ_ONLY, read_event_attachment: READ_ONLY }, 1_350);
    const { tools } = await adele.listTools();
    const ours = tools.filter((tool) => /attachment/.test(tool.name));
    expect(ours).toHaveLength(4);
    expect(JSON.stringify(ours).length).toBeLessThanOrEqual(4 * 1_250);
  });
});

describe('list_attachments', () => {
  it('names a message\'s attachments with their kind, never asking Graph for their content', async () => {
    const result = structured(listAttachments, await callTool(adele, 'list_attachments', { messageId: messageId(ADELE, 'report') }));
    expect(result.attachments).toEqual([
      { id: attachmentId(ADELE, 'report', 0), name: 'quarterly-report.pdf', contentType: 'application/pdf', size: 48_213, isInline: false, kind: 'file' },
      { id: attachmentId(ADELE, 'report', 1), name: 'logo.png', contentType: 'image/png', size: 2_048, isInline: true, kind: 'file' },
    ]);
    const [request] = requestsSince();
    expect(decodeURIComponent(request?.url ?? '')).toMatch(/\/attachments\?\$select=id,name,contentType,size,isInline$/);
  });

  it('tells an attached message and a link to a cloud file apart', async () => {
    const { attachments } = structured(listAttachments, await callTool(adele, 'list_attachments', { messageId: messageId(ADELE, 'notes') }));
    expect(attachments.map((attachment) => [attachment.name, attachment.kind])).toEqual([['Fwd: room booking', 'item'], ['Sync notes.docx', 'reference']]);
  });

  it('lists an event\'s attachments with Calendars.Read alone, and a message\'s with Mail.Read alone', async () => {
    const { attachments } = structured(listEventAttachments, await callTool(adele, 'list_event_attachments', { eventId: eventId(ADELE) }));
    expect(attachments.map((attachment) => attachment.name)).toEqual(['agenda.pptx']);
    await callTool(adele, 'list_attachments', { messageId: messageId(ADELE, 'report') });
    const scopes = requestsSince().map((request) => [request.path.includes('/events/') ? 'event' : 'message', [...request.scopes].sort()]);
    expect(scopes).toEqual([['event', ['Calendars.Read']], ['message', ['Mail.Read']]]);
  });
});

describe('cursors', () => {
  it('refuses a forged cursor, and one of list_attachments passed to list_event_attachments', async () => {
    expect(errorCode(await callTool(adele, 'list_attachments', { messageId: messageId(ADELE, 'report'), cursor: 'forged' }))).toBe('cursor_invalid');
    const data = stack.graph.dataOf(ADELE);
    const report = data.messages.find((message) => message.id === messageId(ADELE, 'report'));
    const saved = report?.attachments;
    // Eleven attachments: more than Graph's page of ten, so the first answer has a nextLink.
    if (report !== undefined) report.attachments = Array.from({ length: 11 }, (_, index) => ({ ...saved?.[0], id: `${messageId(ADELE, 'report')}-many-${index}` }));
    try {
      const first = structured(listAttachments, await callTool(adele, 'list_attachments', { messageId: messageId(ADELE, 'report') }));
      expect(first.attachments).toHaveLength(10);
      expect(first.nextCursor).toBeDefined();
      const second = structured(listAttachments, await callTool(adele, 'list_attachments', { messageId: messageId(ADELE, 'report'), cursor: first.nextCursor }));
      expect(second.attachments.map((attachment) => attachment.id)).toEqual([`${messageId(ADELE, 'report')}-many-10`]);
      expect(errorCode(await callTool(adele, 'list_event_attachments', { eventId: eventId(ADELE), cursor: first.nextCursor }))).toBe('cursor_invalid');
    } finally {
      if (report !== undefined) report.attachments = saved ?? [];
    }
  });
});

describe('read_attachment', () => {
  it('reads a PDF attached to a message from its raw bytes (/$value), not from base64 in JSON', async () => {
    const result = structured(readAttachment, await callTool(adele, 'read_attachment', { messageId: messageId(ADELE, 'report'), attachmentId: attachmentId(ADELE, 'report', 0) }));
    expect(result).toMatchObject({ name: 'quarterly-report.pdf', kind: 'file', format: 'pdf', truncated: false });
    expect(result.text).toContain('Reference adele-pdf-5150.');
    const urls = requestsSince().map((request) => decodeURIComponent(request.url));
    expect(urls).toHaveLength(2);
    expect(urls[0]).toMatch(/\$select=id,name,contentType,size,isInline$/);
    expect(urls[1]).toMatch(/\/attachments\/[^/]+\/\$value$/);
  });

  it('reads an .xlsx attachment as rows of cells', async () => {
    const result = structured(readAttachment, await callTool(adele, 'read_attachment', { messageId: messageId(ADELE, 'budget'), attachmentId: attachmentId(ADELE, 'budget', 0) }));
    expect(result.format).toBe('xlsx');
    expect(result.text).toBe('## Budget\n1: Line | Q3 plan | Approved\n2: Store fit-out | 120000 | TRUE\n3: Launch ads | 45000 | FALSE');
  });

  it('says what an attached message is and gives its text', async () => {
    const result = structured(readAttachment, await callTool(adele, 'read_attachment', { messageId: messageId(ADELE, 'notes'), attachmentId: attachmentId(ADELE, 'notes', 0) }));
    expect(result).toMatchObject({ kind: 'item', itemType: 'message', subject: 'Room booking confirmed', from: 'Facilities <facilities@contoso.example>', text: 'Room 4.2 is booked for the adele sync.' });
  });

  it('says a cloud-file link is one and where to open it, without fetching anything it points to', async () => {
    const result = structured(readAttachment, await callTool(adele, 'read_attachment', { messageId: messageId(ADELE, 'notes'), attachmentId: attachmentId(ADELE, 'notes', 1) }));
    expect(result).toMatchObject({ kind: 'reference', name: 'Sync notes.docx', truncated: false });
    expect(result.text).toBeUndefined();
    expect(result.webLink).toMatch(/^https:\/\/outlook\.office365\.com\/owa\//);
    expect(requestsSince().some((request) => request.path.endsWith('value'))).toBe(false);
  });

  it('gives an image\'s details without downloading it', async () => {
    const result = structured(readAttachment, await callTool(adele, 'read_attachment', { messageId: messageId(ADELE, 'report'), attachmentId: attachmentId(ADELE, 'report', 1) }));
    expect(result).toMatchObject({ name: 'logo.png', kind: 'file', truncated: false });
    expect(result.format).toBeUndefined();
    expect(requestsSince()).toHaveLength(1);
  });

  it('reads a .pptx attached to an event, slide by slide with notes', async () => {
    const result = structured(readEventAttachment, await callTool(adele, 'read_event_attachment', { eventId: eventId(ADELE), attachmentId: `${eventId(ADELE)}-att-0` }));
    expect(result.format).toBe('pptx');
    expect(result.text).toBe('## Slide 1\nPlanning agenda\nReview Q3 numbers\nNotes: Keep it to 30 minutes\n\n## Slide 2\nDecisions and owners');
  });
});

describe('isolation', () => {
  it('Alex cannot list or read Adele\'s attachments, by message or by event', async () => {
    expect(errorCode(await callTool(alex, 'list_attachments', { messageId: messageId(ADELE, 'report') }))).toBe('not_found');
    expect(errorCode(await callTool(alex, 'read_attachment', { messageId: messageId(ADELE, 'report'), attachmentId: attachmentId(ADELE, 'report', 0) }))).toBe('not_found');
    expect(errorCode(await callTool(alex, 'read_event_attachment', { eventId: eventId(ADELE), attachmentId: `${eventId(ADELE)}-att-0` }))).toBe('not_found');
    // Nothing of Adele's reached Alex: every request was Alex's, and none was answered with content.
    expect(requestsSince().every((request) => request.oid !== ADELE.oid && request.status === 404)).toBe(true);
  });

  it('an attachment id of Adele\'s under Alex\'s own message finds nothing', async () => {
    const alexMessage = 'AAMk-alex-report=';
    expect(errorCode(await callTool(alex, 'read_attachment', { messageId: alexMessage, attachmentId: attachmentId(ADELE, 'report', 0) }))).toBe('not_found');
  });
});

describe('a hostile Graph', () => {
  const pdfCall = () => callTool(adele, 'read_attachment', { messageId: messageId(ADELE, 'report'), attachmentId: attachmentId(ADELE, 'report', 0) });

  it('refuses raw bytes past the cap as they stream in, whatever the attachment\'s declared size', async () => {
    stack.graph.hostile.push({ ...streamReply({ bytes: MAX_ATTACHMENT_BYTES + 64 * 1024 }), path: /\/\$value$|%24value$/, times: 1 });
    expect(errorCode(await pdfCall())).toBe('too_large');
  });

  it('refuses an attachment that declares more than the cap, without downloading it', async () => {
    stack.graph.hostile.push({ ...rawReply(200, JSON.stringify({ '@odata.type': '#microsoft.graph.fileAttachment', id: 'x', name: 'huge.pdf', size: 50 * 1024 * 1024 }), { 'content-type': 'application/json' }), path: /\/attachments\/[^/]+$/, times: 1 });
    expect(errorCode(await pdfCall())).toBe('too_large');
    expect(requestsSince().some((request) => request.path.endsWith('value'))).toBe(false);
  });

  it('reads an answer with no type and no fields as an attachment of no known kind, and downloads nothing', async () => {
    stack.graph.hostile.push({ ...rawReply(200, '{}', { 'content-type': 'application/json' }), path: /\/attachments\/[^/]+$/, times: 1 });
    const result = structured(readAttachment, await pdfCall());
    expect(result).toMatchObject({ id: attachmentId(ADELE, 'report', 0), kind: 'other', truncated: false });
    expect(requestsSince().some((request) => request.path.endsWith('value'))).toBe(false);
  });

  it('refuses base64 content Graph sends although it was not asked for, once it passes the JSON cap', async () => {
    stack.graph.hostile.push({ ...streamReply({ prefix: '{"@odata.type":"#microsoft.graph.fileAttachment","contentBytes":"', bytes: 9 * 1024 * 1024 }), path: /\/attachments\/[^/]+$/, times: 1 });
    expect(errorCode(await pdfCall())).toBe('too_large');
  });
});
