// create_event: a new event in the signed-in user's calendar; with attendees, Exchange sends them invitations.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { attendeesInput, checkEventTimes, dateTimeTimeZoneInput, preferTimeZone } from './calendarSchemas.js';
import { eventLine, toEventSummary } from './eventFields.js';

export const createEvent = defineTool({
  name: 'create_event',
  title: 'Create calendar event',
  description: 'Create an event in your calendar; listed attendees are sent an invitation. Times are local to their timeZone.',
  scopes: ['Calendars.ReadWrite'],
  input: () => z.object({
    subject: z.string().min(1).max(255),
    start: dateTimeTimeZoneInput().describe('dateTime like 2025-03-10T09:00:00, local to timeZone'),
    end: dateTimeTimeZoneInput().describe('Local end, after start'),
    location: z.string().max(255).optional(),
    body: z.string().max(20_000).optional().describe('Plain-text description'),
    attendees: attendeesInput(0, 100).optional().describe('Each person once; they are sent an invitation'),
    isOnlineMeeting: z.boolean().default(false).describe('Add a Teams meeting link'),
  }),
  output: () => z.object({
    id: z.string(),
    webLink: z.string().optional(),
    subject: z.string(),
    start: z.string(),
    end: z.string(),
    timeZone: z.string(),
    joinUrl: z.string().optional(),
    invited: z.number().int().min(0).max(100).describe('Attendees sent an invitation'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  auditCreated: (output) => output.id,
  checkOutcome: 'list your events around that time with list_events',
  // Invitations are mail sent in the user's name; an event for the user alone sends nothing, and asks nothing.
  confirm: (input) => (input.attendees === undefined || input.attendees.length === 0 ? undefined : {
    action: `Invite people to "${input.subject}" (${input.start.dateTime} to ${input.end.dateTime}, ${input.start.timeZone})`,
    targets: input.attendees.map((attendee) => `${attendee.type === 'required' ? 'Required' : 'Optional'}: ${attendee.email}`),
    ...(input.body !== undefined && { preview: input.body }),
  }),
  handler: async (input, { graph }) => {
    checkEventTimes(input.start, input.end);
    const request: MicrosoftGraph.Event = {
      subject: input.subject,
      start: input.start,
      end: input.end,
      ...(input.location !== undefined && { location: { displayName: input.location } }),
      ...(input.body !== undefined && { body: { contentType: 'text', content: input.body } }),
      ...(input.attendees !== undefined && {
        attendees: input.attendees.map((attendee) => ({ type: attendee.type, emailAddress: { address: attendee.email } })),
      }),
      ...(input.isOnlineMeeting && { isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' }),
    };
    const created = toEventSummary(await graph.post<MicrosoftGraph.Event>('/me/events', request, { headers: preferTimeZone(input.start.timeZone) }));
    const invited = input.attendees?.length ?? 0;
    const structured = {
      id: created.id,
      ...(created.webLink !== undefined && { webLink: created.webLink }),
      subject: created.subject,
      start: created.start,
      end: created.end,
      timeZone: created.timeZone,
      ...(created.joinUrl !== undefined && { joinUrl: created.joinUrl }),
      invited,
    };
    const text = `Created ${eventLine(created)}${invited > 0 ? `; invitations sent to ${invited}` : ''}${created.webLink ? `\n${created.webLink}` : ''}`;
    return { structured, text };
  },
});
