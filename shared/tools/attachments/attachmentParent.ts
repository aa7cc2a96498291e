// What attachments belong to: a message (the mail tools, Mail.Read) or an event (the calendar tools, Calendars.Read),
// so each area's tools need only that area's scope. What an attachment is, as Graph's type names it.
import * as z from 'zod';
import { graphId, lazily } from '../schemas.js';

export interface AttachmentParent<Field extends string = 'messageId' | 'eventId'> {
  /** `message` or `event`: how text and errors name it. */
  readonly noun: 'message' | 'event';
  /** The input field holding its id. */
  readonly idField: Field;
  /** The tool names of this parent's pair. */
  readonly listTool: string;
  readonly readTool: string;
  readonly scope: 'Mail.Read' | 'Calendars.Read';
  /** Where its id comes from, for the input's description. */
  readonly idFrom: string;
  /** Graph path of the parent. */
  path(id: string): string;
}

export const MESSAGE_PARENT: AttachmentParent<'messageId'> = {
  noun: 'message', idField: 'messageId', listTool: 'list_attachments', readTool: 'read_attachment', scope: 'Mail.Read',
  idFrom: 'list_messages, search_messages or get_message',
  path: (id) => `/me/messages/${encodeURIComponent(id)}`,
};

export const EVENT_PARENT: AttachmentParent<'eventId'> = {
  noun: 'event', idField: 'eventId', listTool: 'list_event_attachments', readTool: 'read_event_attachment', scope: 'Calendars.Read',
  idFrom: 'list_events or get_event',
  path: (id) => `/me/events/${encodeURIComponent(id)}`,
};

export const ATTACHMENT_KINDS = ['file', 'item', 'reference', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const kindOutput = lazily(() => z.enum(ATTACHMENT_KINDS).describe('item: an attached message, event or contact; reference: a cloud-file link'));

/** The kind Graph's `@odata.type` names; anything else (a type added later, or none) is `other`. */
export function kindOf(odataType: unknown): AttachmentKind {
  switch (odataType) {
    case '#microsoft.graph.fileAttachment': return 'file';
    case '#microsoft.graph.itemAttachment': return 'item';
    case '#microsoft.graph.referenceAttachment': return 'reference';
    default: return 'other';
  }
}

/** The parent's id input, under its field name, described once per parent. */
export function parentIdShape<Field extends string>(parent: AttachmentParent<Field>): Record<Field, ReturnType<typeof graphId>> {
  return { [parent.idField]: graphId().describe(`${parent.noun === 'message' ? 'Message' : 'Event'} id from ${parent.idFrom}`) } as Record<Field, ReturnType<typeof graphId>>;
}

/** Only these properties are ever asked for: never `contentBytes`, the base64 content. */
export const ATTACHMENT_SELECT = 'id,name,contentType,size,isInline';

/** The parent's id in a tool's parsed input (its schema made it a Graph id under `parent.idField`). */
export function parentIdOf(parent: AttachmentParent<string>, input: object): string {
  return (input as Readonly<Record<string, string>>)[parent.idField] ?? '';
}
