// The attachment tools of each area: a message's in mail (Mail.Read), an event's in calendar (Calendars.Read).
import type { ToolDefinition } from '../defineTool.js';
import { EVENT_PARENT, MESSAGE_PARENT } from './attachmentParent.js';
import { listAttachmentsTool } from './listAttachments.js';
import { readAttachmentTool } from './readAttachment.js';

export const listAttachments = listAttachmentsTool(MESSAGE_PARENT);
export const readAttachment = readAttachmentTool(MESSAGE_PARENT);
export const listEventAttachments = listAttachmentsTool(EVENT_PARENT);
export const readEventAttachment = readAttachmentTool(EVENT_PARENT);

export const messageAttachmentTools = [listAttachments, readAttachment] as unknown as readonly ToolDefinition[];
export const eventAttachmentTools = [listEventAttachments, readEventAttachment] as unknown as readonly ToolDefinition[];
