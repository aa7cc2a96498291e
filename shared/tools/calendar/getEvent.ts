// get_event: one event of the signed-in user with its attendees and a plain-text preview of its body.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { graphId, lazily } from '../schemas.js';
import { optionalTimeZone, preferTimeZone } from './calendarSchemas.js';
import { EVENT_SUMMARY_SELECT, eventLine, eventSummaryOutput, nameAndEmail, toEventSummary } from './eventFields.js';

const Attendee = lazily(() => z.object({
  email: z.string().optional(),
  name: z.string().optional(),
  type: z.string(),
  response: z.string().describe('e.g. accepted, declined, none'),
}));

export const getEvent = defineTool({
  name: 'get_event',
  title: 'Get calendar event',
  description: 'One event from your calendar by id: times, location, organizer, attendees with their responses, and a body preview.',
  scopes: ['Calendars.Read'],
  input: () => z.object({
    id: graphId().describe('Event id from list_events'),
    timeZone: optionalTimeZone(),
  }),
  output: () => eventSummaryOutput().extend({
    isOrganizer: z.boolean(),
    myResponse: z.string().optional(),
    attendees: z.array(Attendee()),
    bodyPreview: z.string(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const event = await graph.get<MicrosoftGraph.Event>(`/me/events/${encodeURIComponent(input.id)}`, {
      query: { $select: `${EVENT_SUMMARY_SELECT},attendees,bodyPreview,isOrganizer,responseStatus` },
      headers: preferTimeZone(input.timeZone),
    });
    const attendees = (event.attendees ?? []).map((attendee) => ({
      ...nameAndEmail(attendee),
      type: attendee.type ?? 'required',
      response: attendee.status?.response ?? 'none',
    }));
    const summary = toEventSummary(event);
    const myResponse = event.responseStatus?.response ?? undefined;
    const structured = {
      ...summary,
      isOrganizer: event.isOrganizer ?? false,
      ...(myResponse !== undefined && { myResponse }),
      attendees,
      bodyPreview: event.bodyPreview ?? '',
    };
    const who = attendees.map((attendee) => `${attendee.name ?? attendee.email ?? '?'} (${attendee.type}, ${attendee.response})`).join('; ');
    const organizer = summary.organizer === undefined ? '' : `\nOrganizer: ${summary.organizer.name ?? ''} <${summary.organizer.email ?? ''}>`;
    const text = `${eventLine(summary)}${organizer}${who ? `\nAttendees: ${who}` : ''}${summary.joinUrl ? `\nJoin: ${summary.joinUrl}` : ''}${structured.bodyPreview ? `\n${structured.bodyPreview}` : ''}`;
    return { structured, text };
  },
});
