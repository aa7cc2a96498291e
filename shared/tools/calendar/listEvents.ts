// list_events: the signed-in user's events overlapping a window (calendarView, so recurring meetings come as occurrences).
import type * as MicrosoftGraph from '@microsoft/microsoft-graph-types';
import * as z from 'zod';
import { defineTool } from '../defineTool.js';
import { listPage } from '../listPage.js';
import { cursorInput, nextCursorOutput, pageSizeInput } from '../schemas.js';
import { checkWindow, instantInput, optionalTimeZone, preferTimeZone } from './calendarSchemas.js';
import { EVENT_SUMMARY_SELECT, eventLine, eventSummaryOutput, toEventSummary } from './eventFields.js';

const MAX_WINDOW_DAYS = 366;

export const listEvents = defineTool({
  name: 'list_events',
  title: 'List calendar events',
  description: 'Events in your calendar overlapping a window (recurring meetings as occurrences), sorted by start.',
  scopes: ['Calendars.Read'],
  input: () => z.object({
    start: instantInput().describe('Window start, ISO 8601 with Z or offset'),
    end: instantInput().describe('Window end, after start, at most 366 days later'),
    timeZone: optionalTimeZone(),
    top: pageSizeInput(100, 25),
    cursor: cursorInput(),
  }),
  output: () => z.object({ events: z.array(eventSummaryOutput()), nextCursor: nextCursorOutput() }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (input, { graph }) => {
    const { startMs, endMs } = checkWindow(input.start, input.end, MAX_WINDOW_DAYS);
    const headers = preferTimeZone(input.timeZone);
    const page = await listPage<MicrosoftGraph.Event>(graph, {
      tool: 'list_events',
      path: '/me/calendarView',
      cursor: input.cursor,
      options: {
        query: {
          startDateTime: new Date(startMs).toISOString(),
          endDateTime: new Date(endMs).toISOString(),
          $select: EVENT_SUMMARY_SELECT,
          $orderby: 'start/dateTime',
          $top: input.top,
        },
        headers,
      },
    });
    const events = page.items.map(toEventSummary);
    const more = page.nextCursor === undefined ? '' : '\nMore events: call again with nextCursor.';
    const text = events.length === 0 ? 'No events in that window.' : `${events.map(eventLine).join('\n')}${more}`;
    return { structured: { events, nextCursor: page.nextCursor }, text };
  },
});
