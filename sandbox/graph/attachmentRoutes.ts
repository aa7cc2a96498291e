// Local Graph: the attachments of a user's messages and events, as Graph serves them: listed and read with
// `$select`, an attached item through `$expand`, raw bytes through `/$value` (405 for a link to a cloud file).
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import { graphError, type GraphContext, type GraphReply, type GraphRoute } from './localGraph.js';
import { page, select } from './odata.js';
import { buildPdf, buildPptx, buildXlsx } from './officeFiles.js';
import type { UserData } from './userData.js';

export type StoredAttachment = MicrosoftGraph.Attachment & {
  id: string;
  '@odata.type': '#microsoft.graph.fileAttachment' | '#microsoft.graph.itemAttachment' | '#microsoft.graph.referenceAttachment';
  /** File attachments: the content, base64, as Graph's JSON carries it. */
  contentBytes?: string;
  /** Item attachments: the attached message, event or contact. */
  item?: Record<string, unknown> & { '@odata.type': string };
};

// Events keep their attachments here, apart from the event, so the calendar routes serve events as they always have.
const eventAttachments = new WeakMap<UserData, Map<string, StoredAttachment[]>>();

const MESSAGE_SCOPES = ['Mail.Read', 'Mail.ReadWrite'];
const EVENT_SCOPES = ['Calendars.Read', 'Calendars.ReadWrite'];

function decode(raw: string | undefined): string | undefined {
  try {
    return decodeURIComponent(raw ?? '');
  } catch {
    return undefined;
  }
}

type Parent = 'messages' | 'events';

/** The attachments of the user's message or event, or a 404 reply as Exchange gives it. */
function attachmentsOf(data: UserData, parent: Parent, rawId: string | undefined): StoredAttachment[] | GraphReply {
  const id = decode(rawId);
  const notFound = graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
  if (id === undefined) return graphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
  if (parent === 'messages') {
    const message = data.messages.find((candidate) => candidate.id === id);
    return message === undefined ? notFound : (message.attachments ?? []) as StoredAttachment[];
  }
  if (!data.events.some((event) => event.id === id)) return notFound;
  return eventAttachments.get(data)?.get(id) ?? [];
}

function findAttachment({ data, params }: GraphContext, parent: Parent): StoredAttachment | GraphReply {
  const attachments = attachmentsOf(data, parent, params[0]);
  if (!Array.isArray(attachments)) return attachments;
  const id = decode(params[1]);
  return attachments.find((attachment) => attachment.id === id) ?? graphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/** An attachment as Graph answers it: `@odata.type` always, the `$select`ed properties, the item only when expanded. */
function present(attachment: StoredAttachment, url: URL): Record<string, unknown> {
  const { item, ...rest } = attachment;
  const expand = url.searchParams.get('$expand');
  const expanded = expand !== null && /^microsoft\.graph\.itemattachment\/item$/i.test(expand.trim()) && item !== undefined;
  return { '@odata.type': attachment['@odata.type'], ...select(rest, url.searchParams), ...(expanded && { item }) };
}

function list(parent: Parent) {
  return ({ data, params, url }: GraphContext): GraphReply => {
    const attachments = attachmentsOf(data, parent, params[0]);
    if (!Array.isArray(attachments)) return attachments;
    const listed = page(attachments, url, 10);
    return { status: 200, body: { ...listed, value: listed.value.map((attachment, index) => ({ '@odata.type': attachments[index]?.['@odata.type'], ...attachment })) } };
  };
}

function get(parent: Parent) {
  return (context: GraphContext): GraphReply => {
    const attachment = findAttachment(context, parent);
    return 'status' in attachment && typeof attachment.status === 'number' ? attachment : { status: 200, body: present(attachment as StoredAttachment, context.url) };
  };
}

/** The raw contents: a file's bytes with its content type, an item as MIME text; a link to a cloud file has none (405). */
function value(parent: Parent) {
  return (context: GraphContext): GraphReply => {
    const found = findAttachment(context, parent);
    if ('status' in found && typeof found.status === 'number') return found;
    const attachment = found as StoredAttachment;
    if (attachment['@odata.type'] === '#microsoft.graph.referenceAttachment') {
      return graphError(405, 'ErrorInvalidRequest', 'The OData request is not supported on a reference attachment.');
    }
    if (attachment['@odata.type'] === '#microsoft.graph.itemAttachment') {
      const subject = typeof attachment.item?.['subject'] === 'string' ? attachment.item['subject'] : '';
      return { status: 200, bytes: Buffer.from(`Subject: ${subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n`), headers: { 'content-type': 'message/rfc822' } };
    }
    return { status: 200, bytes: Buffer.from(attachment.contentBytes ?? '', 'base64'), headers: { 'content-type': attachment.contentType ?? 'application/octet-stream' } };
  };
}

const VALUE = '(?:\\$|%24)value';

export const attachmentRoutes: readonly GraphRoute[] = (['messages', 'events'] as const).flatMap((parent): GraphRoute[] => {
  const anyScope = parent === 'messages' ? MESSAGE_SCOPES : EVENT_SCOPES;
  return [
    { method: 'GET', pattern: new RegExp(`^/me/${parent}/([^/]+)/attachments$`), anyScope, handle: list(parent) },
    { method: 'GET', pattern: new RegExp(`^/me/${parent}/([^/]+)/attachments/([^/]+)$`), anyScope, handle: get(parent) },
    { method: 'GET', pattern: new RegExp(`^/me/${parent}/([^/]+)/attachments/([^/]+)/${VALUE}$`), anyScope, handle: value(parent) },
  ];
});

// Seeds are synchronous; the Office files are zipped once, at load.
const [BUDGET_XLSX, AGENDA_PPTX] = await Promise.all([
  buildXlsx([{ name: 'Budget', rows: [['Line', 'Q3 plan', 'Approved'], ['Store fit-out', 120_000, true], ['Launch ads', 45_000, false]] }]),
  buildPptx([{ paragraphs: ['Planning agenda', 'Review Q3 numbers'], notes: ['Keep it to 30 minutes'] }, { paragraphs: ['Decisions and owners'] }]),
]);

const file = (id: string, name: string, contentType: string, content: Buffer, size = content.length, isInline = false): StoredAttachment => ({
  '@odata.type': '#microsoft.graph.fileAttachment', id, name, contentType, size, isInline, lastModifiedDateTime: '2025-06-02T08:00:00Z', contentBytes: content.toString('base64'),
});

/**
 * Real content for the sample mail's attachments (the report and the invoice as PDFs, marked with their owner), a
 * workbook, an attached message and a link to a cloud file on other messages, and a deck on the user's first event.
 */
export function seedAttachments(data: UserData): void {
  const { key, name } = data.user;
  const message = (slug: string) => data.messages.find((candidate) => candidate.id === `AAMk-${key}-${slug}=`);
  const setContent = (slug: string, attachmentName: string, content: Buffer) => {
    const attachment = message(slug)?.attachments?.find((candidate) => candidate.name === attachmentName) as StoredAttachment | undefined;
    // Graph's size counts the whole stored attachment, not its content: the seeded sizes stay as they are.
    if (attachment !== undefined) attachment.contentBytes = content.toString('base64');
  };
  setContent('report', 'quarterly-report.pdf', buildPdf([['Quarterly report', `Prepared for ${name}.`], [`Reference ${key}-pdf-5150.`]]));
  setContent('invoice', 'invoice-4711.pdf', buildPdf([['Invoice 4711', 'Total due: 1,200.00 USD', 'Payment is due in 30 days.']]));
  const attach = (slug: string, ...attachments: StoredAttachment[]) => {
    const target = message(slug);
    if (target === undefined) return;
    target.attachments = [...(target.attachments ?? []), ...attachments];
    target.hasAttachments = true;
  };
  const budget = `AAMk-${key}-budget=`;
  attach('budget', file(`${budget}-att-0`, 'budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', BUDGET_XLSX));
  const notes = `AAMk-${key}-notes=`;
  attach('notes', {
    '@odata.type': '#microsoft.graph.itemAttachment', id: `${notes}-att-0`, name: 'Fwd: room booking', contentType: null, size: 9_812, isInline: false,
    item: { '@odata.type': '#microsoft.graph.message', subject: 'Room booking confirmed', from: { emailAddress: { name: 'Facilities', address: 'facilities@contoso.example' } }, sentDateTime: '2025-05-30T10:00:00Z', body: { contentType: 'html', content: `<p>Room 4.2 is booked for the ${key} sync.</p>` } },
  }, {
    '@odata.type': '#microsoft.graph.referenceAttachment', id: `${notes}-att-1`, name: 'Sync notes.docx', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', size: 1_060, isInline: false,
  });
  const firstEvent = data.events[0];
  if (firstEvent !== undefined) {
    const byEvent = eventAttachments.get(data) ?? new Map<string, StoredAttachment[]>();
    byEvent.set(firstEvent.id, [file(`${firstEvent.id}-att-0`, 'agenda.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation', AGENDA_PPTX)]);
    eventAttachments.set(data, byEvent);
  }
}
