// The areas one search covers: the Microsoft Search entity type of each, the tool whose access reads it, and how its hits open.
import * as z from 'zod';
import { getEvent } from '../calendar/getEvent.js';
import { readFile } from '../files/readFile.js';
import { getMessage } from '../mail/getMessage.js';
import { lazily } from '../schemas.js';
import { listChatMessages } from '../teams/listChatMessages.js';

export const AREAS = ['mail', 'chats', 'events', 'files'] as const;
export type Area = (typeof AREAS)[number];

/** The arguments of the tool that opens a hit: pass them as they are. */
export interface OpenWith {
  readonly tool: string;
  readonly arguments: Readonly<Record<string, string>>;
}

/** A hit as the search returns it, before its area and rank are added. */
export interface AreaHit {
  readonly title?: string | undefined;
  readonly from?: string | undefined;
  readonly date?: string | undefined;
  readonly open: OpenWith;
}

export interface AreaDefinition {
  /**
   * Searched alone, one request each: Graph mixes `message` with `chatMessage` only, and one area per request keeps
   * each token to one scope and each area's paging its own.
   */
  readonly entityType: string;
  /** The read-only tool whose scopes this area is searched with, and that the caller must be allowed: reaching an area means being able to open its hits. */
  readonly lender: string;
  /** Largest page Microsoft Search serves for this type (25 for message and event). */
  readonly maxSize: number;
  /** Graph's `fields` to ask for, so each hit carries only what is shown; empty: the type's default resource. */
  readonly fields: readonly string[];
  /** The hit's resource, parsed loosely: a resource that does not parse is dropped, never fails the search. */
  toHit(resource: unknown): AreaHit | undefined;
}

/** The resource of each type of hit, as far as a hit shows it. */
const resources = lazily(() => {
  const text = z.string().max(100_000);
  const id = z.string().min(1).max(1024);
  const Address = z.object({ emailAddress: z.object({ name: text.nullish(), address: text.nullish() }).nullish() }).nullish();
  const DateTimeZone = z.object({ dateTime: text.nullish(), timeZone: text.nullish() }).nullish();
  return {
    message: z.object({ id, subject: text.nullish(), from: Address, sender: Address, receivedDateTime: text.nullish(), sentDateTime: text.nullish() }),
    chatMessage: z.object({
      id,
      chatId: id.nullish(),
      channelIdentity: z.object({ teamId: id.nullish(), channelId: id.nullish() }).nullish(),
      from: Address,
      createdDateTime: text.nullish(),
      subject: text.nullish(),
    }),
    event: z.object({ id, subject: text.nullish(), start: DateTimeZone, organizer: Address }),
    driveItem: z.object({
      id,
      name: text.nullish(),
      lastModifiedDateTime: text.nullish(),
      folder: z.object({}).loose().nullish(),
      parentReference: z.object({ siteId: id.nullish() }).nullish(),
    }),
  };
});

const nameOf = (address: z.output<ReturnType<typeof resources>['message']>['from']): string | undefined => address?.emailAddress?.name ?? address?.emailAddress?.address ?? undefined;

function parsed<T extends z.ZodType>(schema: T, resource: unknown): z.output<T> | undefined {
  const result = schema.safeParse(resource);
  return result.success ? result.data : undefined;
}

export const AREA_DEFINITIONS: Readonly<Record<Area, AreaDefinition>> = {
  mail: {
    entityType: 'message',
    lender: getMessage.name,
    maxSize: 25,
    fields: [],
    toHit(resource) {
      const message = parsed(resources().message, resource);
      if (message === undefined) return undefined;
      return {
        title: message.subject ?? undefined,
        from: nameOf(message.from) ?? nameOf(message.sender),
        date: message.receivedDateTime ?? message.sentDateTime ?? undefined,
        open: { tool: getMessage.name, arguments: { id: message.id } },
      };
    },
  },
  chats: {
    entityType: 'chatMessage',
    lender: listChatMessages.name,
    maxSize: 25,
    fields: [],
    toHit(resource) {
      const message = parsed(resources().chatMessage, resource);
      if (message === undefined) return undefined;
      const { teamId, channelId } = message.channelIdentity ?? {};
      let open: OpenWith;
      if (typeof message.chatId === 'string') open = { tool: listChatMessages.name, arguments: { chatId: message.chatId } };
      else if (typeof teamId === 'string' && typeof channelId === 'string') open = { tool: 'list_channel_messages', arguments: { teamId, channelId } };
      else return undefined;
      return {
        title: message.subject ?? undefined,
        from: nameOf(message.from),
        date: message.createdDateTime ?? undefined,
        open,
      };
    },
  },
  events: {
    entityType: 'event',
    lender: getEvent.name,
    maxSize: 25,
    fields: [],
    toHit(resource) {
      const event = parsed(resources().event, resource);
      if (event === undefined) return undefined;
      return {
        title: event.subject ?? undefined,
        from: nameOf(event.organizer),
        date: event.start?.dateTime ?? undefined,
        open: { tool: getEvent.name, arguments: { id: event.id } },
      };
    },
  },
  files: {
    entityType: 'driveItem',
    lender: readFile.name,
    maxSize: 50,
    fields: ['id', 'name', 'lastModifiedDateTime', 'folder', 'parentReference'],
    toHit(resource) {
      const item = parsed(resources().driveItem, resource);
      if (item === undefined) return undefined;
      const siteId = item.parentReference?.siteId ?? undefined;
      const where: Record<string, string> = siteId === undefined ? {} : { siteId };
      return {
        title: item.name ?? undefined,
        date: item.lastModifiedDateTime ?? undefined,
        open: item.folder === undefined || item.folder === null
          ? { tool: readFile.name, arguments: { itemId: item.id, ...where } }
          : { tool: 'list_drive_items', arguments: { itemId: item.id, ...where } },
      };
    },
  },
};
