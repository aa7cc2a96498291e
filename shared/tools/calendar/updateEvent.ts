// update_event: changes some fields of an event the signed-in user organizes; attendees get an update when they change.
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { GraphError } from '../../graph/graphError.js';
import { defineTool } from '../defineTool.js';
import { graphId } from '../schemas.js';
import { checkEventTimes, dateTimeTimeZoneInput, preferTimeZone } from './calendarSchemas.js';
import { NOT_ORGANIZER_UPDATE, requireOrganizer } from './organizer.js';
import { eventLine, eventSummaryOutput, toEventSummary } from './eventFields.js';

export const updateEvent = defineTool({
  name: 'update_event',
  title: 'Update calendar event',
  description: 'Change the subject, times, location or description of an event you organize; omitted fields stay as they are, given ones are overwritten.',
  scopes: ['Calendars.ReadWrite'],
  input: () => z.object({
    id: graphId().describe('Event id'),
    subject: z.string().min(1).max(255).optional(),
    start: dateTimeTimeZoneInput().optional().describe('New start: dateTime local to timeZone'),
    end: dateTimeTimeZoneInput().optional().describe('New end'),
    location: z.string().max(255).optional().describe('New location; empty clears it'),
    body: z.string().max(20_000).optional().describe('New plain-text description (replaces the old one)'),
  }),
  output: () => eventSummaryOutput().pick({ id: true, subject: true, start: true, end: true, timeZone: true, location: true, webLink: true }),
  // Destructive: a new body or location replaces the old one, and nothing keeps it.
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  // Exchange sends every attendee of a meeting the change, in the organizer's name; who they are is known only after
  // a Graph read, which waits for the accept, so the event is the target and the new text the preview.
  confirm: (input) => ({
    action: 'Change an event you organize: its attendees, if it has any, are sent the update',
    targets: [`Event: ${input.id}`],
    preview: [
      input.subject === undefined ? undefined : `Subject: ${input.subject}`,
      input.start === undefined ? undefined : `Starts: ${input.start.dateTime} (${input.start.timeZone})`,
      input.end === undefined ? undefined : `Ends: ${input.end.dateTime} (${input.end.timeZone})`,
      input.location === undefined ? undefined : `Location: ${input.location}`,
      input.body === undefined ? undefined : `Description:\n${input.body}`,
    ].filter((part) => part !== undefined).join('\n'),
  }),
  handler: async (input, { graph }) => {
    const patch: MicrosoftGraph.Event = {
      ...(input.subject !== undefined && { subject: input.subject }),
      ...(input.start !== undefined && { start: input.start }),
      ...(input.end !== undefined && { end: input.end }),
      ...(input.location !== undefined && { location: { displayName: input.location } }),
      ...(input.body !== undefined && { body: { contentType: 'text', content: input.body } }),
    };
    if (Object.keys(patch).length === 0) throw new GraphError('bad_request', 'Nothing to change: give at least one of subject, start, end, location, body');
    checkEventTimes(input.start, input.end);
    const path = `/me/events/${encodeURIComponent(input.id)}`;
    await requireOrganizer(graph, path, NOT_ORGANIZER_UPDATE);
    const updated = toEventSummary(await graph.patch<MicrosoftGraph.Event>(path, patch, {
      headers: preferTimeZone(input.start?.timeZone ?? input.end?.timeZone ?? 'UTC'),
    }));
    const { id, subject, start, end, timeZone, location, webLink } = updated;
    const structured = { id, subject, start, end, timeZone, ...(location !== undefined && { location }), ...(webLink !== undefined && { webLink }) };
    return { structured, text: `Updated ${eventLine(updated)}` };
  },
});
