// The calendar tools, in the order clients should see them.
import { eventAttachmentTools } from '../attachments/attachmentTools.js';
import type { ToolDefinition } from '../defineTool.js';
import { cancelEvent } from './cancelEvent.js';
import { createEvent } from './createEvent.js';
import { findMeetingTimes } from './findMeetingTimes.js';
import { getEvent } from './getEvent.js';
import { getSchedule } from './getSchedule.js';
import { listEvents } from './listEvents.js';
import { respondToEvent } from './respondToEvent.js';
import { updateEvent } from './updateEvent.js';

export const calendarTools: readonly ToolDefinition[] = [
  listEvents,
  getEvent,
  ...eventAttachmentTools,
  createEvent,
  updateEvent,
  cancelEvent,
  respondToEvent,
  findMeetingTimes,
  getSchedule,
];
